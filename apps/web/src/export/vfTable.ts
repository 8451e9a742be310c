import { assignabilityOf } from '../graph/assignability';
import type { GraphModel } from '../graph/graphModel';
import { toCsv, type CsvField } from './csv';

export const VF_TABLE_HEADER = ['host', 'card', 'PF', 'VF', 'address', 'driver', 'interface', 'MAC', 'NUMA node', 'IOMMU group', 'state', 'holder'] as const;

/**
 * Every VF of the host, one row each in PF and index order: what the CSV export writes. The
 * state is the details panel's (free, held, blocked, or conflict when a running VM's
 * configuration names a VF a host driver holds), with "pending" added while a change waits.
 */
export function vfTableRows(model: GraphModel): CsvField[][] {
  const rows: CsvField[][] = [];
  for (const pf of model.pfs) {
    const card = model.cardById.get(pf.cardId);
    for (const vf of pf.vfs) {
      const raw = vf.vf;
      const netdev = raw.netdevs[0] ?? null;
      const verdict = assignabilityOf(vf, model).verdict;
      const h = raw.holder;
      rows.push([
        model.host.hostname,
        card ? [card.vendor, card.label].filter(Boolean).join(' ') || card.id : pf.cardId,
        pf.address,
        vf.index,
        vf.address,
        raw.driver,
        netdev?.name ?? null,
        netdev?.mac ?? null,
        raw.numaNode ?? pf.pf.numaNode,
        raw.iommuGroup,
        h?.pending ? `${verdict} (pending)` : verdict,
        h ? `${h.vmId} ${h.vmName}` : null,
      ]);
    }
  }
  return rows;
}

export function vfTableCsv(model: GraphModel): string {
  return toCsv(VF_TABLE_HEADER, vfTableRows(model));
}
