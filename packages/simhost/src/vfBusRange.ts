import { parsePciAddress, vfBusOf, type PciAddress } from '@vfmap/model';

/**
 * The last bus number a PF's VFs can occupy with all `totalVfs` enabled: what the kernel reserves
 * below the PF's bridge at enumeration (pci_iov_bus_range() adds it to the bridge's subordinate
 * bus). A bus number is 8 bits, so nothing past ff can be reserved: VFs that would lie there
 * cannot exist, and sriov_enable() refuses a count that needs them (ENOMEM).
 */
export function lastVfBus(pf: PciAddress, offset: number, stride: number, totalVfs: number): number {
  if (totalVfs === 0) return parsePciAddress(pf)!.bus;
  return Math.min(0xff, vfBusOf(pf, offset, stride, totalVfs - 1));
}
