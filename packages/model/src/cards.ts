import { comparePciAddresses, pciSlotOf } from './pciAddress';
import type { PciAddress, PciSlot } from './pciAddressSchema';
import type { Card, Pf } from './topology';

/**
 * The card a PCI function belongs to: the physical adapter, named by the slot (domain:bus:device)
 * its functions share — the ports of one NIC are functions .0, .1... of one device number. Cut at
 * the dot, never by width: `10000:00:04.0` has a five-digit domain.
 */
export function cardIdOf(address: PciAddress): PciSlot {
  return pciSlotOf(address);
}

/**
 * The cards of a host: its PFs grouped by card, each card's PFs in address order, the cards in
 * address order. A card's vendor and device are its first PF's; its NUMA nodes are the distinct
 * nodes of its PFs, because the ports of one card can report different nodes (an I350 with port 0
 * on node 0 and port 1 on node 1).
 */
export function groupCards(pfs: readonly Pf[]): Card[] {
  const byCard = new Map<PciSlot, Pf[]>();
  for (const pf of pfs) {
    const id = cardIdOf(pf.address);
    const members = byCard.get(id);
    if (members) members.push(pf);
    else byCard.set(id, [pf]);
  }
  const cards: Card[] = [];
  for (const [id, members] of byCard) {
    members.sort((a, b) => comparePciAddresses(a.address, b.address));
    const first = members[0]!;
    const numaNodes = [...new Set(members.map((p) => p.numaNode).filter((n): n is number => n !== null))].sort((a, b) => a - b);
    cards.push({
      id,
      vendorId: first.vendorId,
      deviceId: first.deviceId,
      vendorName: first.vendorName,
      deviceName: first.deviceName,
      numaNodes,
      pfs: members.map((p) => p.address),
    });
  }
  return cards.sort(compareCards);
}

/** Orders cards as their slots sort: numerically, so `10000:` comes after every `0000:`. */
export function compareCards(a: Card, b: Card): number {
  return comparePciAddresses(`${a.id}.0`, `${b.id}.0`);
}
