import { type Card, type Pf, comparePciAddresses, pciSlotOf } from '@vfmap/model';

/**
 * The physical adapters: PFs that share domain:bus:slot (the slot is cut at the dot, never by
 * width: `10000:00:04.0` has a five-digit domain). A card's vendor and device are its first PF's;
 * its NUMA nodes are the distinct nodes of its PFs, because the ports of one card can report
 * different nodes (an I350 with port 0 on node 0 and port 1 on node 1).
 */
export function buildCards(pfs: readonly Pf[]): Card[] {
  const bySlot = new Map<string, Pf[]>();
  for (const pf of pfs) {
    const slot = pciSlotOf(pf.address);
    const members = bySlot.get(slot);
    if (members) members.push(pf);
    else bySlot.set(slot, [pf]);
  }
  const cards: Card[] = [];
  for (const [slot, members] of bySlot) {
    members.sort((a, b) => comparePciAddresses(a.address, b.address));
    const first = members[0]!;
    const numaNodes = [...new Set(members.map((p) => p.numaNode).filter((n): n is number => n !== null))].sort((a, b) => a - b);
    cards.push({
      id: slot,
      vendorId: first.vendorId,
      deviceId: first.deviceId,
      vendorName: first.vendorName,
      deviceName: first.deviceName,
      numaNodes,
      pfs: members.map((p) => p.address),
    });
  }
  return cards.sort((a, b) => comparePciAddresses(`${a.id}.0`, `${b.id}.0`));
}
