import { useMemo, useState } from 'react';
import { driftMarkLabel, worstSeverity } from '../graph/driftMarks';
import type { GraphModel } from '../graph/graphModel';
import { nodeId, type NodeId } from '../graph/nodeId';

/**
 * Every IOMMU group and its members. A group is the smallest unit VFIO can hand to a VM, so a
 * group with several members means none of them goes alone; the table says so per group.
 */
export function IommuGroupsView({ model, onGoto, search }: { model: GraphModel; onGoto: (id: NodeId) => void; search: string }) {
  const [onlySriov, setOnlySriov] = useState(false);
  const [onlyShared, setOnlyShared] = useState(false);
  const q = search.trim().toLowerCase();

  const groups = useMemo(() => {
    const all = [...model.groups.entries()].sort((a, b) => a[0] - b[0]);
    return all.filter(([, members]) => {
      if (onlyShared && members.length < 2) return false;
      if (onlySriov && !members.some((a) => model.deviceByAddress.get(a)?.kind !== 'device')) return false;
      if (q && !members.some((a) => a.includes(q) || (model.deviceByAddress.get(a)?.name.toLowerCase().includes(q) ?? false))) return false;
      return true;
    });
  }, [model, onlySriov, onlyShared, q]);

  if (!model.iommuEnabled) {
    return (
      <section className="groups" aria-label="IOMMU groups">
        <p className="empty">
          The kernel made no IOMMU groups: the IOMMU is off, so no device on this host can be passed through to a VM.
        </p>
      </section>
    );
  }

  return (
    <section className="groups" aria-label="IOMMU groups">
      <div className="groups-filters">
        <span>
          {groups.length} of {model.groups.size} groups
        </span>
        <label>
          <input type="checkbox" checked={onlySriov} onChange={(e) => setOnlySriov(e.target.checked)} /> only groups with PFs or VFs
        </label>
        <label>
          <input type="checkbox" checked={onlyShared} onChange={(e) => setOnlyShared(e.target.checked)} /> only shared groups
        </label>
      </div>
      <table>
        <thead>
          <tr>
            <th scope="col">Group</th>
            <th scope="col">Members</th>
            <th scope="col">Passthrough</th>
          </tr>
        </thead>
        <tbody>
          {groups.map(([id, members]) => {
            const shared = members.length > 1;
            const hasVf = members.some((a) => model.deviceByAddress.get(a)?.kind === 'vf');
            return (
              <tr key={id} data-group={id} className={shared ? 'shared' : undefined}>
                <th scope="row" className="num">
                  {id}
                </th>
                <td>
                  <ul className="plain members">
                    {members.map((a) => {
                      const d = model.deviceByAddress.get(a);
                      const target = d?.kind === 'vf' ? nodeId.vf(a) : d?.kind === 'pf' ? nodeId.pf(a) : null;
                      const holder = d?.holderVmId ? model.vmById.get(d.holderVmId) : undefined;
                      const drift = model.driftByAddress.get(a) ?? [];
                      return (
                        <li key={a}>
                          <span className={`kind-badge kind-${d?.kind ?? 'device'}`}>{(d?.kind ?? 'device').toUpperCase()}</span>{' '}
                          {target ? (
                            <button type="button" className="link" onClick={() => onGoto(target)}>
                              <code>{a}</code>
                            </button>
                          ) : (
                            <code>{a}</code>
                          )}{' '}
                          <span title={d?.fullName}>{d?.name ?? 'not reported by the reader'}</span>
                          <span className="muted"> · {d?.driver ?? 'no driver'}</span>
                          {holder ? <span> · held by {holder.vm.name}</span> : null}
                          {drift.length > 0 ? (
                            // Whole devices are drawn nowhere else: their drift is marked here and listed in the Checks tab.
                            <span className={`tag drift-tag drift-tag-${worstSeverity(drift)!}`} data-drift-member={a} role="img" aria-label={driftMarkLabel(drift)} title={drift.map((f) => f.title).join('\n')}>
                              config ≠ running
                            </span>
                          ) : null}
                        </li>
                      );
                    })}
                  </ul>
                </td>
                <td>
                  {shared ? (
                    <span className="warn-text">
                      {members.length} devices share it{hasVf ? ': its VFs cannot be assigned alone' : ': they go to a VM together'}
                    </span>
                  ) : (
                    <span className="muted">isolated</span>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}
