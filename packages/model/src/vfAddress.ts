import { formatPciAddress, fromRoutingId, parsePciAddress, routingIdOf } from './pciAddress';
import type { PciAddress } from './pciAddressSchema';

/**
 * Where SR-IOV puts a PF's VFs (PCIe SR-IOV 1.1 §3.3.10–11; drivers/pci/iov.c
 * pci_iov_virtfn_bus/devfn): VF n's routing id (bus << 8 | devfn) is the PF's routing id + First
 * VF Offset + n × VF Stride. The sum carries into the bus number, so VFs spill onto the next
 * buses (the kernel makes virtual buses for them), and two ports with stride 2 interleave
 * (82599: 05:10.0, 05:10.1, 05:10.2...).
 */

function partsOf(pf: string) {
  const parts = parsePciAddress(pf);
  if (!parts) throw new TypeError(`not a PCI address: ${pf}`);
  return parts;
}

/** The routing id of VF `index` of `pf`; past 0xffff when the VF would lie past bus ff. */
export function vfRoutingId(pf: PciAddress, offset: number, stride: number, index: number): number {
  return routingIdOf(partsOf(pf)) + offset + index * stride;
}

/**
 * The bus VF `index` of `pf` lands on, as pci_iov_virtfn_bus() computes it: not cut to 8 bits, so
 * a VF past bus ff gives a number above 0xff, which sriov_enable() compares with the end of the
 * PF's bus range (the bridge's subordinate bus) and refuses with ENOMEM.
 */
export function vfBusOf(pf: PciAddress, offset: number, stride: number, index: number): number {
  return vfRoutingId(pf, offset, stride, index) >> 8;
}

/**
 * The address of VF `index` of `pf`, or null when its routing id lies past bus ff: there is no
 * such address in the PF's domain, and the kernel refuses any count that needs that VF (ENOMEM).
 * Never wrapped onto bus 00, never a throw: a planner asks "which VFs can exist?" with it.
 */
export function vfAddressOf(pf: PciAddress, offset: number, stride: number, index: number): PciAddress | null {
  const parts = fromRoutingId(partsOf(pf).domain, vfRoutingId(pf, offset, stride, index));
  return parts && formatPciAddress(parts);
}

/**
 * The most VFs of `pf` that have an address (at most `totalVfs`): a count above it needs a VF
 * past bus ff. Routing ids grow with the index (stride ≥ 1), so the VFs that fit come first.
 */
export function vfsWithinBusRange(pf: PciAddress, offset: number, stride: number, totalVfs: number): number {
  if (totalVfs <= 0) return 0;
  if (stride <= 0) return vfRoutingId(pf, offset, stride, 0) > 0xffff ? 0 : totalVfs;
  const room = 0xffff - vfRoutingId(pf, offset, stride, 0);
  return room < 0 ? 0 : Math.min(totalVfs, Math.floor(room / stride) + 1);
}
