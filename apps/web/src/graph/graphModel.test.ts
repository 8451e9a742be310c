import { describe, expect, it } from 'vitest';
import { iommuOffTopology, labTopology, largeTopology } from '../test/fixtures';
import { buildGraphModel } from './graphModel';

describe('buildGraphModel', () => {
  const model = buildGraphModel(labTopology());

  it('counts free, held and unavailable VFs per PF and per host', () => {
    const e810p0 = model.pfByAddress.get('0000:3b:00.0')!;
    expect(e810p0.label).toBe('E810-C port 0');
    expect(e810p0.counts).toEqual({ total: 64, free: 46, held: 18, unavailable: 0 });
    const i350p0 = model.pfByAddress.get('0000:d8:00.0')!;
    expect(i350p0.counts).toEqual({ total: 7, free: 0, held: 1, unavailable: 6 });
    expect(model.counts.total).toBe(64 + 8 + 16 + 7);
    expect(model.counts.free + model.counts.held + model.counts.unavailable).toBe(model.counts.total);
  });

  it('marks a VF whose IOMMU group has other members as unavailable and lists them', () => {
    const vf = model.pfByAddress.get('0000:d8:00.0')!.vfs[0]!;
    expect(vf.address).toBe('0000:d8:10.0');
    expect(vf.state).toBe('unavailable');
    expect(vf.groupPeers).toContain('0000:d8:00.0');
    expect(vf.groupPeers).toContain('0000:d8:00.1');
    expect(vf.groupPeers).not.toContain(vf.address);
  });

  it('keeps a held VF assigned even when its group is shared', () => {
    expect(model.vfByAddress.get('0000:d8:11.4')!.state).toBe('assigned');
  });

  it('marks every unheld VF unavailable when the IOMMU is off', () => {
    const off = buildGraphModel(iommuOffTopology());
    expect(off.iommuEnabled).toBe(false);
    expect(off.counts.free).toBe(0);
    expect(off.counts.unavailable).toBe(off.counts.total);
  });

  it('puts cards into NUMA lanes, lowest node first', () => {
    expect(model.lanes.map((l) => l.node)).toEqual([0, 1]);
    expect(model.lanes[0]!.cards).toEqual(['0000:3b:00']);
    expect(model.lanes[1]!.cards).toEqual(['0000:af:00', '0000:d8:00']);
  });

  it('gives each VM the VFs it holds, its pending changes and the NUMA nodes it spans', () => {
    const router = model.vmById.get('110')!;
    expect(router.vfs).toHaveLength(6);
    expect(router.numaNodes).toEqual([0, 1]);
    const k8s = model.vmById.get('140')!;
    expect(k8s.pendingCount).toBe(1);
    const win = model.vmById.get('130')!;
    expect(win.vfs).toEqual([]);
    expect(win.devices).toEqual(['0000:86:00.0']);
  });

  it('invents a VM a holder names that the hypervisor did not list', () => {
    const topology = labTopology();
    topology.vms = topology.vms.filter((vm) => vm.id !== '101');
    const ghost = buildGraphModel(topology).vmById.get('101')!;
    expect(ghost.unlisted).toBe(true);
    expect(ghost.vm).toEqual({ id: '101', name: 'web-01', state: 'unknown' });
  });

  it('gives a PF the agent put on no card a card of its own slot', () => {
    const topology = labTopology();
    topology.cards = topology.cards.filter((c) => c.id !== '0000:af:00');
    const m = buildGraphModel(topology);
    expect(m.cardById.get('0000:af:00')!.pfs).toEqual(['0000:af:00.0', '0000:af:00.1']);
    expect(m.cardById.get('0000:af:00')!.card.numaNodes).toEqual([1]);
  });

  it('puts a PF the agent left off its card onto the card of its slot', () => {
    const topology = labTopology();
    topology.cards = topology.cards.map((c) => (c.id === '0000:3b:00' ? { ...c, pfs: c.pfs.filter((p) => p !== '0000:3b:00.1') } : c));
    const m = buildGraphModel(topology);
    expect(m.cards.filter((c) => c.id.startsWith('0000:3b:')).map((c) => c.id)).toEqual(['0000:3b:00']);
    expect(m.cardById.get('0000:3b:00')!.pfs).toEqual(['0000:3b:00.0', '0000:3b:00.1']);
  });

  it('handles the large profile', () => {
    const large = buildGraphModel(largeTopology());
    expect(large.counts.total).toBe(2048);
    expect(large.pfs).toHaveLength(8);
  });
});
