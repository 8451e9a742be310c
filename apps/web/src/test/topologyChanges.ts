import { Topology, type Holder, type Pf, type Vf, type Vm } from '@vfmap/model';
import { vfAddress } from './topologyBuilder';

/**
 * The changes the fixture server makes to a topology when the page writes, done the way the
 * real host does them: a new count makes new VFs at the addresses offset and stride give, in new
 * IOMMU groups (or in the PF's group, when the PF's VFs share it); a VM's configuration keeps
 * naming an address, so a VF that comes back where a held one was is held again.
 */

/** The VF driver a PF's driver loads when nothing else is said (autoprobe on). */
const VF_DRIVERS: Record<string, string | null> = { ice: 'iavf', i40e: 'iavf', ixgbe: 'ixgbevf', mlx5_core: 'mlx5_core', igb: 'igbvf', bnxt_en: 'bnxt_en' };

export function withNumVfs(topology: Topology, pfAddress: string, count: number): Topology {
  const pf = topology.pfs.find((p) => p.address === pfAddress);
  if (!pf) throw new Error(`no PF ${pfAddress}`);
  if (pf.offset === null || pf.stride === null) throw new Error(`PF ${pfAddress} has no offset/stride`);
  const { offset, stride } = pf;
  const heldBefore = new Map(pf.vfs.filter((v) => v.holder).map((v) => [v.address, v.holder!]));
  const sharesPfGroup = pf.vfs.length > 0 && pf.vfs.every((v) => v.iommuGroup !== null && v.iommuGroup === pf.iommuGroup);
  const unheld = pf.vfs.find((v) => !v.holder);
  const vfDriver = unheld ? unheld.driver : (VF_DRIVERS[pf.driver ?? ''] ?? null);

  const oldAddresses = new Set(pf.vfs.map((v) => v.address));
  let groups = topology.iommuGroups
    .map((g) => ({ ...g, devices: g.devices.filter((d) => !oldAddresses.has(d)) }))
    .filter((g) => g.devices.length > 0);
  let nextGroup = Math.max(0, ...topology.iommuGroups.map((g) => g.id)) + 1;

  const vfs: Vf[] = [];
  for (let index = 0; index < count; index++) {
    const address = vfAddress(pf.address, offset, stride, index);
    const holder = heldBefore.get(address) ?? null;
    const driver = holder ? 'vfio-pci' : vfDriver;
    let group: number | null = null;
    if (pf.iommuGroup !== null) {
      group = sharesPfGroup ? pf.iommuGroup : nextGroup++;
      const existing = groups.find((g) => g.id === group);
      if (existing) existing.devices = [...existing.devices, address];
      else groups = [...groups, { id: group, devices: [address] }];
    }
    const netdev = pf.netdevs[0];
    vfs.push({
      address,
      index,
      pf: pf.address,
      vendorId: pf.vendorId,
      deviceId: pf.vfDeviceId ?? pf.deviceId,
      driver,
      driverOverride: driver === 'vfio-pci' ? 'vfio-pci' : null,
      netdevs: driver && driver !== 'vfio-pci' && netdev ? [{ name: `${netdev.name}v${index}`, mac: null, operState: 'up', speedMbps: netdev.speedMbps }] : [],
      numaNode: pf.numaNode,
      iommuGroup: group,
      holder,
    });
  }
  const changed: Pf = { ...pf, numVfs: count, vfs };
  return Topology.parse({
    ...topology,
    pfs: topology.pfs.map((p) => (p.address === pfAddress ? changed : p)),
    iommuGroups: groups.sort((a, b) => a.id - b.id),
  });
}

export function withHolder(topology: Topology, vfAddress: string, holder: Holder | null): Topology {
  return Topology.parse({
    ...topology,
    pfs: topology.pfs.map((pf) => ({
      ...pf,
      vfs: pf.vfs.map((vf) => (vf.address === vfAddress ? { ...vf, holder, driver: holder ? 'vfio-pci' : vf.driver } : vf)),
    })),
  });
}

/** The next free `hostpciN` of a VM, as Proxmox numbers them. */
export function nextHostpci(topology: Topology, vm: Vm): string {
  const used = new Set<string>();
  for (const pf of topology.pfs) for (const vf of pf.vfs) if (vf.holder?.vmId === vm.id) used.add(vf.holder.via);
  for (const d of topology.devices) if (d.holder?.vmId === vm.id) used.add(d.holder.via);
  let n = 0;
  while (used.has(`hostpci${n}`)) n++;
  return `hostpci${n}`;
}
