import { Topology, type Holder, type Pf, type Vf, type Vm } from '@vfmap/model';
import { vfAddress } from './topologyBuilder';

/**
 * The changes the fixture server makes to a topology when the page writes, done the way the
 * real host does them: a new count makes new VFs at the addresses offset and stride give, in new
 * IOMMU groups (the lowest free numbers, as the kernel's ida_alloc hands them out) or in the PF's
 * group when the PF's VFs share it; a VM's configuration keeps naming an address, so a VF that
 * comes back where a held one was is held again, and one that does not come back is reported
 * as the agent reports it (a holder-missing-device warning).
 */

/** What VM configurations name that the host does not have (any more), by address. */
export type NamedButGone = Map<string, Holder>;

/** The VF driver a PF's driver loads when nothing else is said (autoprobe on). */
const VF_DRIVERS: Record<string, string | null> = { ice: 'iavf', i40e: 'iavf', ixgbe: 'ixgbevf', mlx5_core: 'mlx5_core', igb: 'igbvf', bnxt_en: 'bnxt_en' };

/**
 * `pfAddress` changed to `count` VFs. `gone` is what VM configurations name that the host lacks;
 * the change updates it: an address that exists again leaves it, a held VF that does not come
 * back joins it.
 */
export function withNumVfs(topology: Topology, pfAddress: string, count: number, gone: NamedButGone = new Map()): Topology {
  const pf = topology.pfs.find((p) => p.address === pfAddress);
  if (!pf) throw new Error(`no PF ${pfAddress}`);
  if (pf.offset === null || pf.stride === null) throw new Error(`PF ${pfAddress} has no offset/stride`);
  const { offset, stride } = pf;
  const heldBefore = new Map([...gone, ...pf.vfs.filter((v) => v.holder).map((v) => [v.address, v.holder!] as const)]);
  const sharesPfGroup = pf.vfs.length > 0 && pf.vfs.every((v) => v.iommuGroup !== null && v.iommuGroup === pf.iommuGroup);
  // New VFs are new devices: whatever probes them (the VF driver, or nothing when autoprobe is
  // off) binds them, held or not — vfio-pci only takes one when a VM starts with it. A VF on its
  // host driver (or on none) says which; one on vfio-pci says nothing.
  const onHostDriver = pf.vfs.find((v) => v.driver !== 'vfio-pci');
  const vfDriver = onHostDriver ? onHostDriver.driver : (VF_DRIVERS[pf.driver ?? ''] ?? null);

  const oldAddresses = new Set(pf.vfs.map((v) => v.address));
  let groups = topology.iommuGroups
    .map((g) => ({ ...g, devices: g.devices.filter((d) => !oldAddresses.has(d)) }))
    .filter((g) => g.devices.length > 0);
  const groupsInUse = new Set(groups.map((g) => g.id));
  const lowestFreeGroup = () => {
    let id = 0;
    while (groupsInUse.has(id)) id++;
    groupsInUse.add(id);
    return id;
  };
  // udev names a VF's netdev after its PF's slot (ens1f0v3, or ens5f0v3 for mlx5's ens5f0np0):
  // an existing VF netdev says the pattern; without one, the PF's name is the best guess.
  const named = pf.vfs.flatMap((v) => v.netdevs.map((n) => ({ n, index: v.index }))).find(({ n, index }) => n.name.endsWith(`v${index}`));
  const netdevPrefix = named ? named.n.name.slice(0, -`${named.index}`.length) : pf.netdevs[0] ? `${pf.netdevs[0].name}v` : null;

  const vfs: Vf[] = [];
  for (let index = 0; index < count; index++) {
    const address = vfAddress(pf.address, offset, stride, index);
    const holder = heldBefore.get(address) ?? null;
    const driver = vfDriver;
    let group: number | null = null;
    if (pf.iommuGroup !== null) {
      group = sharesPfGroup ? pf.iommuGroup : lowestFreeGroup();
      const existing = groups.find((g) => g.id === group);
      if (existing) existing.devices = [...existing.devices, address];
      else groups = [...groups, { id: group, devices: [address] }];
    }
    const netdev = pf.netdevs[0];
    gone.delete(address);
    vfs.push({
      address,
      index,
      pf: pf.address,
      vendorId: pf.vendorId,
      deviceId: pf.vfDeviceId ?? pf.deviceId,
      driver,
      driverOverride: null,
      netdevs: driver && netdevPrefix ? [{ name: `${netdevPrefix}${index}`, mac: null, operState: 'up', speedMbps: netdev?.speedMbps ?? null }] : [],
      numaNode: pf.numaNode,
      iommuGroup: group,
      holder,
      config: null,
    });
  }
  const changed: Pf = { ...pf, numVfs: count, vfs };
  for (const vf of pf.vfs) if (vf.holder && vf.index >= count) gone.set(vf.address, vf.holder);
  return Topology.parse({
    ...topology,
    pfs: topology.pfs.map((p) => (p.address === pfAddress ? changed : p)),
    iommuGroups: groups.sort((a, b) => a.id - b.id),
    warnings: [
      ...topology.warnings.filter((w) => w.code !== 'holder-missing-device' || ![...gone.keys(), ...vfs.map((v) => v.address)].some((a) => w.message.includes(` names ${a},`))),
      ...[...gone].map(([address, h]) => ({
        code: 'holder-missing-device',
        message: `VM ${h.vmId} (${h.vmName}) ${h.via} names ${address}, which this host does not have${h.pending ? ' (pending change)' : ''}`,
      })),
    ],
  });
}

/**
 * A VM's configuration names the VF, or no longer does. The driver stays as it is, as the demo
 * agent's hypervisor leaves it: binding vfio-pci is the hypervisor's business when the VM starts
 * (or hot-plugs) the VF, and shows in the next scan.
 */
export function withHolder(topology: Topology, vfAddress: string, holder: Holder | null): Topology {
  return Topology.parse({
    ...topology,
    pfs: topology.pfs.map((pf) => ({
      ...pf,
      vfs: pf.vfs.map((vf) => (vf.address === vfAddress ? { ...vf, holder } : vf)),
    })),
  });
}

/** The next free `hostpciN` of a VM, as Proxmox numbers them: an entry naming a device that is gone still takes its slot. */
export function nextHostpci(topology: Topology, vm: Vm, gone: NamedButGone = new Map()): string {
  const used = new Set<string>();
  for (const h of gone.values()) if (h.vmId === vm.id) used.add(h.via);
  for (const pf of topology.pfs) for (const vf of pf.vfs) if (vf.holder?.vmId === vm.id) used.add(vf.holder.via);
  for (const d of topology.devices) if (d.holder?.vmId === vm.id) used.add(d.holder.via);
  let n = 0;
  while (used.has(`hostpci${n}`)) n++;
  return `hostpci${n}`;
}
