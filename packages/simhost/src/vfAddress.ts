import { formatPciAddress, fromRoutingId, parsePciAddress, routingIdOf, type PciAddress } from '@vfmap/model';

/**
 * The address of VF `index` of a PF, as the SR-IOV capability places it (drivers/pci/iov.c
 * pci_iov_virtfn_bus/devfn): routing id of the PF + First VF Offset + index × VF Stride. The sum
 * carries into the bus number, so VFs spill onto the next buses (the kernel makes virtual buses
 * for them), and two ports with stride 2 interleave (82599: 05:10.0, 05:10.1, 05:10.2...).
 */
export function vfAddress(pf: PciAddress, offset: number, stride: number, index: number): PciAddress {
  const parts = parsePciAddress(pf);
  if (!parts) throw new Error(`not a PCI address: ${pf}`);
  const rid = routingIdOf(parts) + offset + index * stride;
  if (rid > 0xffff) throw new Error(`VF ${index} of ${pf} would be past bus ff (routing id ${rid})`);
  return formatPciAddress(fromRoutingId(parts.domain, rid));
}

/** The last bus number VFs of this PF can occupy with all `totalVfs` enabled. */
export function lastVfBus(pf: PciAddress, offset: number, stride: number, totalVfs: number): number {
  if (totalVfs === 0) return parsePciAddress(pf)!.bus;
  return parsePciAddress(vfAddress(pf, offset, stride, totalVfs - 1))!.bus;
}
