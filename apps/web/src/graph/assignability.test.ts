import { describe, expect, it } from 'vitest';
import { iommuOffTopology, labTopology } from '../test/fixtures';
import { assignabilityOf } from './assignability';
import { buildGraphModel } from './graphModel';

describe('assignabilityOf', () => {
  const model = buildGraphModel(labTopology());
  const vf = (address: string, m = model) => m.vfByAddress.get(address)!;

  it('calls a VF with its own group free, and says the host driver gives up its netdev', () => {
    const a = assignabilityOf(vf('0000:3b:04.7'), model);
    expect(a.verdict).toBe('free');
    expect(a.blocking).toEqual([]);
    expect(a.notes.join(' ')).toMatch(/host driver iavf as ens1f0v23; assigning it unbinds that driver/);
    expect(a.notes).toContain('On NUMA node 0.');
  });

  it('blocks a VF whose group has other members and names them', () => {
    const a = assignabilityOf(vf('0000:d8:10.0'), model);
    expect(a.verdict).toBe('blocked');
    expect(a.blocking[0]).toMatch(/IOMMU group 62 also holds \d+ other devices \(0000:d8:00.0, 0000:d8:00.1/);
  });

  it('names a QEMU no VM config knows as a process, not as a VM with its name twice', () => {
    const t = labTopology();
    const target = t.pfs.flatMap((p) => p.vfs).find((v) => v.address === '0000:3b:04.7')!;
    target.holder = { vmId: 'scratch', vmName: 'scratch', via: 'qemu pid 5150', pending: false, pendingChange: null, source: 'running' };
    const m = buildGraphModel(t);
    const notes = assignabilityOf(vf('0000:3b:04.7', m), m).notes.join(' ');
    expect(notes).toContain('Held by the QEMU process scratch through qemu pid 5150.');
    expect(notes).not.toMatch(/scratch scratch|\(unknown\)/);
  });

  it('explains that passthrough needs the IOMMU when it is off', () => {
    const off = buildGraphModel(iommuOffTopology());
    const a = assignabilityOf(off.vfByAddress.get('0000:3b:04.7')!, off);
    expect(a.verdict).toBe('blocked');
    expect(a.blocking[0]).toMatch(/IOMMU is off/);
    expect(a.blocking[0]).toMatch(/intel_iommu=on/);
  });

  it('names the holder, a pending change and a VM that spans NUMA nodes', () => {
    const router = assignabilityOf(vf('0000:af:00.2'), model);
    expect(router.verdict).toBe('held');
    expect(router.notes.join(' ')).toMatch(/Held by VM 110 \(nfv-router\) through hostpci4 \(running\)/);
    expect(router.notes.join(' ')).toMatch(/also holds devices on NUMA node 0/);
    const pending = assignabilityOf(vf('0000:3b:04.4'), model);
    expect(pending.summary).toBe('Held by k8s-worker-1 (pending)');
    expect(pending.notes.join(' ')).toMatch(/pending/);
  });
});

describe('assignabilityOf a VF a running VM names while a host driver holds it', () => {
  it('says one state with the warning, not held and bound to the host driver side by side', () => {
    const t = labTopology();
    const target = t.pfs.flatMap((p) => p.vfs).find((v) => v.address === '0000:af:00.2')!;
    target.driver = 'mlx5_core';
    target.holder = { ...target.holder!, source: 'config' };
    const m = buildGraphModel(t);
    const a = assignabilityOf(m.vfByAddress.get('0000:af:00.2')!, m);
    expect(a.verdict).toBe('conflict');
    expect(a.warning).toMatch(/^VM config names this VF, but the host driver holds it: the VM's start or hot-plug failed/);
    const words = [a.summary, ...a.notes].join(' ');
    expect(words).not.toMatch(/Held by/);
    expect(words).not.toMatch(/Bound to the host driver/);
    expect(words).toMatch(/names it through hostpci4; mlx5_core/);
  });
});
