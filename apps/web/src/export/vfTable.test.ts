import { describe, expect, it } from 'vitest';
import { buildGraphModel } from '../graph/graphModel';
import { labTopology } from '../test/fixtures';
import { VF_TABLE_HEADER, vfTableCsv, vfTableRows } from './vfTable';

describe('vfTable', () => {
  const model = buildGraphModel(labTopology());

  it('has the header and one row per VF', () => {
    const lines = vfTableCsv(model).trimEnd().split('\r\n');
    expect(lines[0]).toBe('host,card,PF,VF,address,driver,interface,MAC,NUMA node,IOMMU group,state,holder');
    expect(lines).toHaveLength(1 + model.vfByAddress.size);
    expect(VF_TABLE_HEADER).toHaveLength(12);
  });

  it('writes a held VF with its holder and a free one with its interface', () => {
    const rows = vfTableRows(model);
    const held = rows.find((r) => r[4] === '0000:af:00.2')!;
    expect(held[10]).toBe('held');
    expect(held[11]).toBe('110 nfv-router');
    const free = rows.find((r) => r[4] === '0000:3b:04.7')!;
    expect(free.slice(5, 7)).toEqual(['iavf', 'ens1f0v23']);
    expect(free[10]).toBe('free');
    expect(rows.find((r) => r[4] === '0000:3b:04.4')![10]).toBe('held (pending)');
  });
});
