import { fullDeviceName } from '../format/deviceName';
import { formatLink, formatNuma, plural } from '../format/units';
import { driftMarkLabel } from './driftMarks';
import type { Counts, GraphModel, PfNode, VfNode, VmNode } from './graphModel';
import { parseNodeId, type NodeId } from './nodeId';

/**
 * One node in words: a title and a few lines. The same words serve the tooltip and the ARIA
 * label, so what a screen reader says is what a sighted person reads on hover.
 */
export interface NodeDescription {
  title: string;
  lines: string[];
}

const STATE_WORDS = { free: 'free', assigned: 'held', unavailable: 'not assignable alone' } as const;

export function countsText(c: Counts): string {
  const parts = [`${c.free} free`, `${c.held} held`];
  if (c.unavailable > 0) parts.push(`${c.unavailable} unavailable`);
  return `${parts.join(' · ')} of ${plural(c.total, 'VF')}`;
}

export function describeVf(vf: VfNode): NodeDescription {
  const lines: string[] = [STATE_WORDS[vf.state]];
  if (vf.vf.holder) lines[0] = `held by ${vf.vf.holder.vmName} (${vf.vf.holder.via}${vf.pending ? ', pending' : ''})`;
  else if (vf.state === 'unavailable') {
    lines.push(vf.groupPeers.length > 0 ? `IOMMU group ${vf.vf.iommuGroup} shared with ${plural(vf.groupPeers.length, 'device')}` : 'no IOMMU group');
  }
  lines.push(`driver ${vf.vf.driver ?? 'none'}`);
  const netdev = vf.vf.netdevs[0];
  if (netdev) lines.push(`${netdev.name}${netdev.mac ? ` ${netdev.mac}` : ''}`);
  if (vf.drift.length > 0) lines.push(driftMarkLabel(vf.drift));
  return { title: `VF ${vf.index} · ${vf.address}`, lines };
}

export function describePf(pf: PfNode): NodeDescription {
  const p = pf.pf;
  const lines = [
    `${p.numVfs} of ${p.totalVfs} VFs enabled`,
    countsText(pf.counts),
    `driver ${p.driver ?? 'none'} · ${formatNuma(p.numaNode)}`,
  ];
  for (const n of p.netdevs) lines.push(formatLink(n));
  if (p.holder) lines.push(`passed through whole to ${p.holder.vmName}`);
  if (pf.drift.length > 0) lines.push(driftMarkLabel(pf.drift));
  if (pf.vfDrift.length > 0) lines.push(`${plural(pf.vfDrift.length, 'drift finding')} about its VFs`);
  return { title: `${pf.label} · ${pf.address}`, lines };
}

export function describeVm(vm: VmNode): NodeDescription {
  const lines = [vm.vm.state, plural(vm.vfs.length, 'VF')];
  if (vm.devices.length > 0) lines.push(`${plural(vm.devices.length, 'whole device')}`);
  if (vm.pendingCount > 0) lines.push(`${vm.pendingCount} pending`);
  if (vm.numaNodes.length > 1) lines.push(`spans NUMA nodes ${vm.numaNodes.join(' and ')}`);
  if (vm.unlisted) lines.push('not listed by the hypervisor');
  return { title: `VM ${vm.id} ${vm.vm.name}`, lines };
}

export function describeNode(model: GraphModel, id: NodeId): NodeDescription | null {
  const parsed = parseNodeId(id);
  if (!parsed) return null;
  switch (parsed.kind) {
    case 'vf': {
      const vf = model.vfByAddress.get(parsed.key);
      return vf ? describeVf(vf) : null;
    }
    case 'pf': {
      const pf = model.pfByAddress.get(parsed.key);
      return pf ? describePf(pf) : null;
    }
    case 'bar': {
      const pf = model.pfByAddress.get(parsed.key);
      return pf ? { title: `${pf.label}: ${countsText(pf.counts)}`, lines: ['collapsed; Enter or click shows every slot'] } : null;
    }
    case 'vm': {
      const vm = model.vmById.get(parsed.key);
      return vm ? describeVm(vm) : null;
    }
    case 'card': {
      const card = model.cardById.get(parsed.key);
      if (!card) return null;
      return {
        title: `${[card.vendor, card.label].filter(Boolean).join(' ')} · ${card.id}`,
        lines: [fullDeviceName(card.card.vendorName, card.card.deviceName, `${card.card.vendorId}:${card.card.deviceId}`), plural(card.pfs.length, 'port'), card.numaNode === null ? 'NUMA node not reported' : `NUMA node ${card.numaNode}`],
      };
    }
  }
}

export function ariaLabel(d: NodeDescription): string {
  return [d.title, ...d.lines].join(', ');
}
