import { describe, expect, it } from 'vitest';
import { labTopology } from '../test/fixtures';
import { ariaLabel, describeNode } from './describeNode';
import { buildGraphModel } from './graphModel';

describe('describeNode', () => {
  const model = buildGraphModel(labTopology());

  it('says who holds a VF and how', () => {
    expect(describeNode(model, 'vf:0000:3b:04.4')).toEqual({
      title: 'VF 20 · 0000:3b:04.4',
      lines: ['held by k8s-worker-1 (hostpci10, pending)', 'driver vfio-pci'],
    });
  });

  it('says why a VF is not assignable alone', () => {
    const d = describeNode(model, 'vf:0000:d8:10.0')!;
    expect(d.lines[0]).toBe('not assignable alone');
    expect(d.lines[1]).toMatch(/^IOMMU group 62 shared with \d+ devices$/);
  });

  it('gives a PF its counts and link', () => {
    const d = describeNode(model, 'pf:0000:3b:00.0')!;
    expect(d.title).toBe('E810-C port 0 · 0000:3b:00.0');
    expect(d.lines).toContain('46 free · 18 held of 64 VFs');
    expect(d.lines).toContain('ens1f0 up 100 Gb/s');
  });

  it('reads as one sentence for a screen reader', () => {
    expect(ariaLabel(describeNode(model, 'vm:110')!)).toBe('VM 110 nfv-router, running, 6 VFs, spans NUMA nodes 0 and 1');
  });
});
