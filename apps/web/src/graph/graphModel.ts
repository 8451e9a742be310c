import { compareCards, comparePciAddresses, groupCards, groupPeers, iommuGroupMembers, vfState, type Card, type Device, type DriftFinding, type Host, type Pf, type Topology, type Vf, type Vm, type VfState } from '@vfmap/model';
import { fullDeviceName, shortDeviceName, shortVendorName } from '../format/deviceName';
import { driftByAddress, driftOfVm, sortFindings } from './driftMarks';

/**
 * The topology as the page thinks of it: cards in NUMA lanes, PFs with their VF slots, VMs with
 * the VFs they hold, and the facts the drawing needs precomputed (state of each VF, its IOMMU
 * group peers, counts). Pure: the same topology gives an equal model.
 */

/** free: nobody holds it and it can be passed through alone. unavailable: nobody holds it, but its
 *  IOMMU group has other members or there is no IOMMU group at all (IOMMU off). The model's rule. */
export type { VfState };

export interface VfNode {
  address: string;
  index: number;
  pf: string;
  vf: Vf;
  state: VfState;
  /** the other members of its IOMMU group; a VM would have to take them too. */
  groupPeers: string[];
  holderVmId: string | null;
  pending: boolean;
  /** where its VM configurations and what runs disagree about it, worst first. */
  drift: readonly DriftFinding[];
}

export interface Counts {
  total: number;
  free: number;
  held: number;
  unavailable: number;
}

export interface PfNode {
  address: string;
  pf: Pf;
  cardId: string;
  /** position among its card's PFs, as the bracket labels ports (0, 1, ...). */
  port: number;
  /** "E810-C port 0": what a person calls it. */
  label: string;
  vfs: VfNode[];
  counts: Counts;
  groupPeers: string[];
  /** the findings about the PF itself (held whole, say); its VFs carry their own. */
  drift: readonly DriftFinding[];
  /** the findings about its VFs, worst first: a collapsed PF shows them on its bar. */
  vfDrift: readonly DriftFinding[];
}

export interface CardNode {
  id: string;
  card: Card;
  label: string;
  vendor: string | null;
  pfs: string[];
  /** the lane it stands in: its PFs' node, or null when sysfs says -1 or the PFs disagree. */
  numaNode: number | null;
}

export interface VmNode {
  id: string;
  vm: Vm;
  /** VFs it holds, in PCI address order. */
  vfs: string[];
  /** PFs and other devices it holds whole. */
  devices: string[];
  pendingCount: number;
  /** the NUMA nodes of what it holds; more than one means traffic crosses sockets. */
  numaNodes: number[];
  /** a holder named it but the hypervisor did not list it. */
  unlisted: boolean;
  /** the drift findings about it (its own, or where it is the other VM), worst first. */
  drift: readonly DriftFinding[];
}

export interface NumaLane {
  node: number | null;
  cards: string[];
}

export interface DeviceNode {
  address: string;
  kind: 'pf' | 'vf' | 'device';
  name: string;
  /** the pci.ids vendor and device names in full, for a title where `name` shortens them. */
  fullName: string;
  driver: string | null;
  iommuGroup: number | null;
  holderVmId: string | null;
}

export interface GraphModel {
  host: Host;
  iommuEnabled: boolean;
  lanes: NumaLane[];
  cards: CardNode[];
  pfs: PfNode[];
  vms: VmNode[];
  counts: Counts;
  cardById: ReadonlyMap<string, CardNode>;
  pfByAddress: ReadonlyMap<string, PfNode>;
  vfByAddress: ReadonlyMap<string, VfNode>;
  vmById: ReadonlyMap<string, VmNode>;
  /** every PCI function the topology names (PFs, VFs, other devices), for group listings. */
  deviceByAddress: ReadonlyMap<string, DeviceNode>;
  groups: ReadonlyMap<number, readonly string[]>;
  /** the drift findings by the address they concern, worst first. */
  driftByAddress: ReadonlyMap<string, readonly DriftFinding[]>;
  topology: Topology;
}

export function emptyCounts(): Counts {
  return { total: 0, free: 0, held: 0, unavailable: 0 };
}

function addCount(counts: Counts, state: VfState): void {
  counts.total++;
  if (state === 'free') counts.free++;
  else if (state === 'assigned') counts.held++;
  else counts.unavailable++;
}

function laneOf(pfs: Pf[]): number | null {
  const nodes = new Set(pfs.map((p) => p.numaNode));
  if (nodes.size !== 1) return null;
  return [...nodes][0] ?? null;
}

/** Null lanes last: "no NUMA information" reads as an afterthought, which it is. */
function compareLanes(a: number | null, b: number | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a - b;
}

export function buildGraphModel(topology: Topology): GraphModel {
  const iommuEnabled = topology.host.iommu.enabled;

  // The kernel's groups, plus functions that report a group its listing lacks.
  const groups = iommuGroupMembers(topology);

  const vmById = new Map<string, VmNode>();
  const vmNode = (id: string, name: string): VmNode => {
    let node = vmById.get(id);
    if (!node) {
      node = { id, vm: { id, name, state: 'unknown' }, vfs: [], devices: [], pendingCount: 0, numaNodes: [], unlisted: true, drift: [] };
      vmById.set(id, node);
    }
    return node;
  };
  for (const vm of topology.vms) {
    vmById.set(vm.id, { id: vm.id, vm, vfs: [], devices: [], pendingCount: 0, numaNodes: [], unlisted: false, drift: [] });
  }
  const holdNuma = (vm: VmNode, numa: number | null) => {
    if (numa !== null && !vm.numaNodes.includes(numa)) vm.numaNodes.push(numa);
  };

  const drift = driftByAddress(topology.drift);
  const NONE: readonly DriftFinding[] = [];

  const deviceByAddress = new Map<string, DeviceNode>();
  const pfByAddress = new Map<string, PfNode>();
  const vfByAddress = new Map<string, VfNode>();
  const hostCounts = emptyCounts();

  const sortedPfs = [...topology.pfs].sort((a, b) => comparePciAddresses(a.address, b.address));
  const cardOfPf = new Map<string, Card>();
  const cards: Card[] = topology.cards.map((c) => ({ ...c }));
  for (const card of cards) for (const pf of card.pfs) cardOfPf.set(pf, card);
  // Every PF stands on a card; those the agent did not group are grouped as the agent groups them,
  // onto the card of their slot when the agent sent one.
  for (const extra of groupCards(sortedPfs.filter((pf) => !cardOfPf.has(pf.address)))) {
    const existing = cards.find((c) => c.id === extra.id);
    const card = existing ?? extra;
    if (existing) existing.pfs = [...existing.pfs, ...extra.pfs];
    else cards.push(extra);
    for (const pf of extra.pfs) cardOfPf.set(pf, card);
  }

  const pfsByCard = new Map<string, Pf[]>();
  for (const pf of sortedPfs) {
    const card = cardOfPf.get(pf.address)!;
    pfsByCard.set(card.id, [...(pfsByCard.get(card.id) ?? []), pf]);
  }

  const drawnCards = cards.filter((c) => pfsByCard.has(c.id)).sort(compareCards);
  const nameCount = new Map<string, number>();
  for (const c of drawnCards) {
    const name = shortDeviceName(c.deviceName, c.vendorId, c.deviceId);
    nameCount.set(name, (nameCount.get(name) ?? 0) + 1);
  }
  // "E810-C port 0" must name one port: two alike cards are told apart by their bus and slot.
  const cardLabel = (c: Card) => {
    const name = shortDeviceName(c.deviceName, c.vendorId, c.deviceId);
    return (nameCount.get(name) ?? 0) > 1 ? `${name} ${c.id.slice(c.id.indexOf(':') + 1)}` : name;
  };
  const cardNodes: CardNode[] = drawnCards
    .map((card) => {
      const members = pfsByCard.get(card.id)!;
      return {
        id: card.id,
        card,
        label: cardLabel(card),
        vendor: shortVendorName(card.vendorName),
        pfs: members.map((p) => p.address),
        numaNode: laneOf(members),
      };
    });

  const pfNodes: PfNode[] = [];
  for (const card of cardNodes) {
    const members = pfsByCard.get(card.id)!;
    members.forEach((pf, port) => {
      const counts = emptyCounts();
      const vfs: VfNode[] = [...pf.vfs]
        .sort((a, b) => a.index - b.index)
        .map((vf) => {
          const peers = vf.iommuGroup === null ? [] : groupPeers(vf.address, vf.iommuGroup, topology);
          const state = vfState(vf, topology);
          addCount(counts, state);
          addCount(hostCounts, state);
          const node: VfNode = {
            address: vf.address,
            index: vf.index,
            pf: pf.address,
            vf,
            state,
            groupPeers: peers,
            holderVmId: vf.holder?.vmId ?? null,
            pending: vf.holder?.pending ?? false,
            drift: drift.get(vf.address) ?? NONE,
          };
          vfByAddress.set(vf.address, node);
          deviceByAddress.set(vf.address, {
            address: vf.address,
            kind: 'vf',
            name: `VF ${vf.index} of ${card.label} port ${port}`,
            fullName: fullDeviceName(pf.vendorName, pf.deviceName, `${vf.vendorId}:${vf.deviceId}`),
            driver: vf.driver,
            iommuGroup: vf.iommuGroup,
            holderVmId: node.holderVmId,
          });
          if (vf.holder) {
            const vm = vmNode(vf.holder.vmId, vf.holder.vmName);
            vm.vfs.push(vf.address);
            if (vf.holder.pending) vm.pendingCount++;
            holdNuma(vm, vf.numaNode ?? pf.numaNode);
          }
          return node;
        });
      const node: PfNode = {
        address: pf.address,
        pf,
        cardId: card.id,
        port,
        label: `${card.label} port ${port}`,
        vfs,
        counts,
        groupPeers: pf.iommuGroup === null ? [] : groupPeers(pf.address, pf.iommuGroup, topology),
        drift: drift.get(pf.address) ?? NONE,
        vfDrift: sortFindings(vfs.flatMap((v) => v.drift)),
      };
      pfNodes.push(node);
      pfByAddress.set(pf.address, node);
      deviceByAddress.set(pf.address, {
        address: pf.address,
        kind: 'pf',
        name: node.label,
        fullName: fullDeviceName(pf.vendorName, pf.deviceName, `${pf.vendorId}:${pf.deviceId}`),
        driver: pf.driver,
        iommuGroup: pf.iommuGroup,
        holderVmId: pf.holder?.vmId ?? null,
      });
      if (pf.holder) {
        const vm = vmNode(pf.holder.vmId, pf.holder.vmName);
        vm.devices.push(pf.address);
        if (pf.holder.pending) vm.pendingCount++;
        holdNuma(vm, pf.numaNode);
      }
    });
  }

  for (const d of topology.devices) {
    deviceByAddress.set(d.address, deviceNodeOf(d));
    if (d.holder) {
      const vm = vmNode(d.holder.vmId, d.holder.vmName);
      vm.devices.push(d.address);
      if (d.holder.pending) vm.pendingCount++;
      holdNuma(vm, d.numaNode);
    }
  }

  const vms = [...vmById.values()];
  for (const vm of vms) vm.drift = driftOfVm(topology.drift, vm.id);
  for (const vm of vms) {
    vm.vfs.sort(comparePciAddresses);
    vm.devices.sort(comparePciAddresses);
    vm.numaNodes.sort((a, b) => a - b);
  }

  const laneMap = new Map<number | null, string[]>();
  for (const card of cardNodes) laneMap.set(card.numaNode, [...(laneMap.get(card.numaNode) ?? []), card.id]);
  const lanes = [...laneMap.entries()].sort((a, b) => compareLanes(a[0], b[0])).map(([node, ids]) => ({ node, cards: ids }));

  return {
    host: topology.host,
    iommuEnabled,
    lanes,
    cards: cardNodes,
    pfs: pfNodes,
    vms,
    counts: hostCounts,
    cardById: new Map(cardNodes.map((c) => [c.id, c])),
    pfByAddress,
    vfByAddress,
    vmById,
    deviceByAddress,
    groups,
    driftByAddress: drift,
    topology,
  };
}

function deviceNodeOf(d: Device): DeviceNode {
  return {
    address: d.address,
    kind: 'device',
    name: [shortVendorName(d.vendorName), d.deviceName].filter(Boolean).join(' ') || `${d.vendorId}:${d.deviceId}`,
    fullName: fullDeviceName(d.vendorName, d.deviceName, `${d.vendorId}:${d.deviceId}`),
    driver: d.driver,
    iommuGroup: d.iommuGroup,
    holderVmId: d.holder?.vmId ?? null,
  };
}
