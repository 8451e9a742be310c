import { groupCards, type Holder, type Pf, type Topology, type Vf, type Vm } from '@vfmap/model';
import { buildPf, device, driftFinding, groupsOf, holder, topology, vfAddress, type PfSpec } from './topologyBuilder';

const COLLECTED_AT = '2025-03-14T09:26:53.000Z';

export const vms = {
  web: { id: '101', name: 'web-01', state: 'running' },
  db: { id: '102', name: 'db-01', state: 'running' },
  router: { id: '110', name: 'nfv-router', state: 'running' },
  runner: { id: '120', name: 'build-runner', state: 'stopped' },
  win: { id: '130', name: 'win-test', state: 'paused' },
  k8s: { id: '140', name: 'k8s-worker-1', state: 'running' },
} satisfies Record<string, Vm>;

const e810 = {
  vendorId: '8086',
  deviceId: '1592',
  vendorName: 'Intel Corporation',
  deviceName: 'Ethernet Controller E810-C for QSFP',
  driver: 'ice',
  vfDeviceId: '1889',
  vfDriver: 'iavf',
} as const;

const cx6 = {
  vendorId: '15b3',
  deviceId: '101d',
  vendorName: 'Mellanox Technologies',
  deviceName: 'MT2892 Family [ConnectX-6 Dx]',
  driver: 'mlx5_core',
  vfDeviceId: '101e',
  vfDriver: 'mlx5_core',
} as const;

const i350 = {
  vendorId: '8086',
  deviceId: '1521',
  vendorName: 'Intel Corporation',
  deviceName: 'I350 Gigabit Network Connection',
  driver: 'igb',
  vfDeviceId: '1520',
  vfDriver: null,
} as const;

function holders(entries: [number, Holder][]): Record<number, Holder> {
  return Object.fromEntries(entries);
}

/**
 * A two-socket Proxmox host: an E810 (64 + 8 VFs) and a ConnectX-6 Dx, and an I350 behind a root
 * port without ACS, so its VFs share one IOMMU group with the PFs and cannot be passed through alone.
 */
export function labTopology(): Topology {
  const k8sHeld: [number, Holder][] = Array.from({ length: 10 }, (_, i) => [10 + i, holder(vms.k8s, `hostpci${i}`)]);
  const specs: PfSpec[] = [
    {
      ...e810,
      address: '0000:3b:00.0',
      netdev: { name: 'ens1f0', operState: 'up', speedMbps: 100000 },
      numaNode: 0,
      iommuGroup: 30,
      totalVfs: 128,
      numVfs: 64,
      offset: 16,
      stride: 1,
      firstVfGroup: 100,
      holders: holders([
        [0, holder(vms.router, 'hostpci0')],
        [1, holder(vms.router, 'hostpci1')],
        [2, holder(vms.router, 'hostpci2')],
        [3, holder(vms.router, 'hostpci3')],
        [4, holder(vms.web, 'hostpci0')],
        [5, holder(vms.web, 'hostpci1')],
        [6, holder(vms.db, 'hostpci0')],
        ...k8sHeld,
        [20, holder(vms.k8s, 'hostpci10', true)],
      ]),
    },
    {
      ...e810,
      address: '0000:3b:00.1',
      netdev: { name: 'ens1f1', operState: 'down', speedMbps: null },
      numaNode: 0,
      iommuGroup: 31,
      totalVfs: 128,
      numVfs: 8,
      offset: 143,
      stride: 1,
      firstVfGroup: 170,
      holders: holders([
        [0, holder(vms.runner, 'hostpci0')],
        [1, holder(vms.runner, 'hostpci1')],
      ]),
    },
    {
      ...cx6,
      address: '0000:af:00.0',
      netdev: { name: 'ens3f0np0', operState: 'up', speedMbps: 25000 },
      numaNode: 1,
      iommuGroup: 80,
      totalVfs: 16,
      numVfs: 16,
      offset: 2,
      stride: 1,
      firstVfGroup: 180,
      holders: holders([
        [0, holder(vms.router, 'hostpci4')],
        [1, holder(vms.router, 'hostpci5')],
        [2, holder(vms.db, 'hostpci1')],
      ]),
    },
    {
      ...cx6,
      address: '0000:af:00.1',
      netdev: { name: 'ens3f1np1', operState: 'up', speedMbps: 25000 },
      numaNode: 1,
      iommuGroup: 81,
      totalVfs: 16,
      numVfs: 0,
      offset: 17,
      stride: 1,
    },
    {
      ...i350,
      address: '0000:d8:00.0',
      netdev: { name: 'eno1', operState: 'up', speedMbps: 1000 },
      numaNode: 1,
      iommuGroup: 62,
      totalVfs: 7,
      numVfs: 7,
      offset: 128,
      stride: 4,
      vfGroup: () => 62,
      holders: holders([[3, holder(vms.web, 'hostpci2')]]),
    },
    {
      ...i350,
      address: '0000:d8:00.1',
      netdev: { name: 'eno2', operState: 'down', speedMbps: null },
      numaNode: 1,
      iommuGroup: 62,
      totalVfs: 7,
      numVfs: 0,
      offset: 128,
      stride: 4,
    },
  ];
  const pfs = specs.map((s, i) => buildPf(s, 0x100 * (i + 1)));
  const devices = [
    device('0000:00:00.0', 'Intel Corporation', 'Sky Lake-E DMI3 Registers', '060000', null, 0),
    device('0000:00:1f.0', 'Intel Corporation', 'C620 Series Chipset LPC/eSPI Controller', '060100', null, 20),
    device('0000:00:1f.2', 'Intel Corporation', 'C620 Series Chipset Power Management Controller', '058000', null, 20),
    device('0000:00:1f.4', 'Intel Corporation', 'C620 Series Chipset SMBus', '0c0500', 'i801_smbus', 20),
    device('0000:18:00.0', 'Samsung Electronics Co Ltd', 'NVMe SSD Controller PM173X', '010802', 'nvme', 24),
    device('0000:86:00.0', 'NVIDIA Corporation', 'GA102GL [RTX A6000]', '030000', 'vfio-pci', 70, {
      numaNode: 1,
      holder: holder(vms.win, 'hostpci0'),
    }),
  ];
  return topology({
    host: {
      id: 'pve-lab-01',
      hostname: 'pve-lab-01.example.net',
      kernel: '6.8.12-4-pve',
      iommu: { enabled: true },
      hypervisor: 'proxmox',
      collectedAt: COLLECTED_AT,
    },
    cards: groupCards(pfs),
    pfs,
    devices,
    iommuGroups: groupsOf(pfs, devices),
    vms: Object.values(vms),
    warnings: [{ code: 'unreadable', message: 'could not read link speed of eno2', path: 'sys/class/net/eno2/speed' }],
  });
}

/** `address`'s VF in `pfs`, changed by `change`. */
function changeVf(pfs: Pf[], address: string, change: (vf: Vf) => Vf): Pf[] {
  return pfs.map((pf) => ({ ...pf, vfs: pf.vfs.map((vf) => (vf.address === address ? change(vf) : vf)) }));
}

/** Addresses of the lab host's VFs: E810 port 0 and 1, ConnectX-6 port 0, I350 port 0. */
export const labVf = {
  e810p0: (i: number) => vfAddress('0000:3b:00.0', 16, 1, i),
  e810p1: (i: number) => vfAddress('0000:3b:00.1', 143, 1, i),
  cx6p0: (i: number) => vfAddress('0000:af:00.0', 2, 1, i),
  i350p0: (i: number) => vfAddress('0000:d8:00.0', 128, 4, i),
};

/**
 * The lab host where configs and reality differ, one finding of each kind as the agent reports
 * them (and the holders that go with them): web-01 runs with an E810 VF no config names; k8s-worker-1's
 * config names a VF its process does not hold; web-01 runs with a ConnectX VF nfv-router's config
 * names; a stale pci-id-reservation; a VF left on vfio-pci; win-test's config names a VF of a PF with
 * no VFs; db-01 holds an I350 VF in the group whose other VF web-01 holds.
 */
export function driftTopology(): Topology {
  const lab = labTopology();
  const reservation = '/run/qemu-server/pci-id-reservations';
  let pfs = lab.pfs;
  pfs = changeVf(pfs, labVf.e810p0(21), (vf) => ({ ...vf, driver: 'vfio-pci', netdevs: [], holder: { ...holder(vms.web, 'hostpci5'), source: 'running', configuredVmId: null } }));
  pfs = changeVf(pfs, labVf.e810p0(20), (vf) => ({ ...vf, holder: { ...vf.holder!, source: 'config' } }));
  pfs = changeVf(pfs, labVf.cx6p0(4), (vf) => ({ ...vf, driver: 'vfio-pci', netdevs: [], holder: { ...holder(vms.web, 'hostpci6'), source: 'running', configuredVmId: vms.router.id } }));
  pfs = changeVf(pfs, labVf.e810p1(3), (vf) => ({ ...vf, driver: 'vfio-pci', driverOverride: 'vfio-pci', netdevs: [] }));
  pfs = changeVf(pfs, labVf.i350p0(3), (vf) => ({ ...vf, holder: { ...vf.holder!, source: 'both' } }));
  pfs = changeVf(pfs, labVf.i350p0(5), (vf) => ({ ...vf, driver: 'vfio-pci', netdevs: [], holder: { ...holder(vms.db, 'hostpci2'), source: 'running', configuredVmId: null, ambiguous: true } }));
  const drift = [
    driftFinding({
      kind: 'held-not-configured',
      severity: 'warn',
      address: labVf.e810p0(21),
      pf: '0000:3b:00.0',
      vmId: vms.web.id,
      vmName: vms.web.name,
      title: `web-01 holds ${labVf.e810p0(21)}, which no VM config names`,
      why: 'Hot-plugged by hand: the VF is gone from the VM at its next start, and vfmap counted it free.',
      fix: 'Add it to the configuration (qm set 101 --hostpci5 …), or detach it from the running VM.',
      evidence: [{ path: '/proc/4242/cmdline', value: `-device vfio-pci,host=${labVf.e810p0(21)},id=hostpci5` }],
    }),
    driftFinding({
      kind: 'configured-not-held',
      severity: 'info',
      address: labVf.e810p0(20),
      pf: '0000:3b:00.0',
      vmId: vms.k8s.id,
      vmName: vms.k8s.name,
      title: `k8s-worker-1's config names ${labVf.e810p0(20)}, which its process does not hold`,
      why: 'A pending change or a failed hot-plug: the VM gets the VF at its next start.',
      fix: 'Restart the VM to apply it, or remove the line.',
      evidence: [{ path: '/etc/pve/qemu-server/140.conf', value: `hostpci10: ${labVf.e810p0(20)}` }],
    }),
    driftFinding({
      kind: 'holds-a-different-vf',
      severity: 'warn',
      address: labVf.cx6p0(4),
      pf: '0000:af:00.0',
      vmId: vms.web.id,
      vmName: vms.web.name,
      otherVmId: vms.router.id,
      title: `web-01 holds ${labVf.cx6p0(4)}, which nfv-router's config names`,
      why: "The mapping pool gave web-01 this VF; nfv-router will not start while web-01 runs.",
      fix: 'Give nfv-router another VF of the pool, or stop web-01.',
      evidence: [
        { path: reservation, value: `${labVf.cx6p0(4)} 101 pid:4242` },
        { path: '/etc/pve/qemu-server/110.conf', value: `hostpci6: ${labVf.cx6p0(4)}` },
      ],
    }),
    driftFinding({
      kind: 'stale-reservation',
      severity: 'info',
      address: labVf.e810p1(2),
      pf: '0000:3b:00.1',
      vmId: vms.runner.id,
      vmName: vms.runner.name,
      title: `A reservation of ${labVf.e810p1(2)} names build-runner's process 3999, which is gone`,
      why: 'qemu-server keeps the VF reserved: another VM cannot be given it from the pool.',
      fix: 'Remove the line from /run/qemu-server/pci-id-reservations.',
      evidence: [{ path: reservation, value: `${labVf.e810p1(2)} 120 pid:3999` }],
    }),
    driftFinding({
      kind: 'vfio-bound-without-holder',
      severity: 'warn',
      address: labVf.e810p1(3),
      pf: '0000:3b:00.1',
      title: `${labVf.e810p1(3)} is bound to vfio-pci, and nothing holds or configures it`,
      why: 'Left over from a VM that is gone: the host cannot use the VF.',
      fix: 'Bind it back to iavf, or give it to a VM.',
      evidence: [{ path: `/sys/bus/pci/devices/${labVf.e810p1(3)}/driver`, value: 'vfio-pci' }],
    }),
    driftFinding({
      kind: 'config-names-missing-vf',
      severity: 'fail',
      address: '0000:af:02.2',
      pf: '0000:af:00.1',
      vmId: vms.win.id,
      vmName: vms.win.name,
      title: "win-test's config names 0000:af:02.2, which this host does not have",
      why: 'The VM fails at its next start: the VF went away when the count of 0000:af:00.1 was lowered.',
      fix: 'Remove hostpci1 from VM 130, or enable VFs on 0000:af:00.1 again.',
      evidence: [{ path: '/etc/pve/qemu-server/130.conf', value: 'hostpci1: 0000:af:02.2' }],
    }),
    driftFinding({
      kind: 'group-shared-with-another-vm',
      severity: 'fail',
      address: labVf.i350p0(5),
      pf: '0000:d8:00.0',
      vmId: vms.db.id,
      vmName: vms.db.name,
      otherVmId: vms.web.id,
      title: `db-01 holds ${labVf.i350p0(5)}, whose IOMMU group web-01 holds a device of`,
      why: 'Isolation is broken: only one of the two VMs can start.',
      fix: 'Move one of them to a VF in a group of its own.',
      evidence: [{ path: '/sys/kernel/iommu_groups/62/devices', value: `${labVf.i350p0(3)} ${labVf.i350p0(5)}` }],
    }),
  ];
  return topology({ ...lab, pfs, drift });
}

/** The lab host booted without intel_iommu=on: no groups anywhere. */
export function iommuOffTopology(): Topology {
  const lab = labTopology();
  const strip = <T extends { iommuGroup: number | null }>(x: T): T => ({ ...x, iommuGroup: null });
  const pfs: Pf[] = lab.pfs.map((pf) => ({ ...strip(pf), vfs: pf.vfs.map((vf) => ({ ...strip(vf), holder: null })) }));
  return topology({
    ...lab,
    host: { ...lab.host, iommu: { enabled: false } },
    pfs,
    devices: lab.devices.map(strip),
    iommuGroups: [],
  });
}

/** A host with no SR-IOV capable device at all. */
export function noSriovTopology(): Topology {
  const lab = labTopology();
  return topology({ ...lab, cards: [], pfs: [], iommuGroups: groupsOf([], lab.devices), vms: [vms.web] });
}

/** The simulated `large` profile: 4 dual-port cards, 8 PFs × 256 VFs = 2048 VFs, 40 VMs. */
export function largeTopology(): Topology {
  const guests: Vm[] = Array.from({ length: 40 }, (_, i) => ({
    id: String(200 + i),
    name: `tenant-${String(i).padStart(2, '0')}`,
    state: i % 7 === 6 ? 'stopped' : 'running',
  }));
  const pfs: Pf[] = [];
  for (let c = 0; c < 4; c++) {
    for (let port = 0; port < 2; port++) {
      const p = c * 2 + port;
      const bus = (0x17 + c * 0x20).toString(16).padStart(2, '0');
      const held: [number, Holder][] = [];
      for (let i = 0; i < 256; i++) {
        // Roughly a third held, spread over the guests, a few pending.
        if ((i * 7 + p) % 3 === 0) {
          const vm = guests[(i + p * 5) % guests.length]!;
          held.push([i, holder(vm, `hostpci${i % 16}`, i % 97 === 0)]);
        }
      }
      pfs.push(
        buildPf(
          {
            ...e810,
            address: `0000:${bus}:00.${port}`,
            netdev: { name: `ens${c + 1}f${port}`, operState: 'up', speedMbps: 100000 },
            numaNode: c < 2 ? 0 : 1,
            iommuGroup: 10 + p,
            totalVfs: 256,
            numVfs: 256,
            offset: 16 + port * 256,
            stride: 1,
            firstVfGroup: 100 + p * 256,
            holders: Object.fromEntries(held),
          },
          0x1000 + p,
        ),
      );
    }
  }
  return topology({
    host: {
      id: 'sim-large',
      hostname: 'sim-large',
      kernel: '6.1.0-sim',
      iommu: { enabled: true },
      hypervisor: 'simulated',
      collectedAt: COLLECTED_AT,
    },
    cards: groupCards(pfs),
    pfs,
    devices: [],
    iommuGroups: groupsOf(pfs, []),
    vms: guests,
    warnings: [],
  });
}
