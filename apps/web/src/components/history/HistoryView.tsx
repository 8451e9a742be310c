import { useEffect, useMemo, useRef, useState } from 'react';
import { AUDIT_MAX, AUDIT_PAGE, useAudit } from '../../api/audit';
import type { OperationProgress } from '../../api/useHostEvents';
import { localDateTime } from '../../format/clock';
import { auditWords, newestFirst } from '../../graph/auditWords';
import type { GraphModel } from '../../graph/graphModel';
import { nodeId, type NodeId } from '../../graph/nodeId';
import { ErrorState } from '../StatusViews';

export interface HistoryViewProps {
  hostId: string;
  model: GraphModel;
  /** the operations the event stream reports: a finished one not listed yet is read at once. */
  operations: ReadonlyMap<string, OperationProgress>;
  /** select an item in the graph */
  onGoto: (id: NodeId) => void;
}

/** The host's audit log, newest first: who changed what, when, from which client, with what result. */
export function HistoryView({ hostId, model, operations, onGoto }: HistoryViewProps) {
  const [limit, setLimit] = useState(AUDIT_PAGE);
  const audit = useAudit(hostId, limit);
  const entries = useMemo(() => newestFirst(audit.data?.entries ?? []), [audit.data]);

  // Live: an operation the stream says finished, and the list does not have yet, is read now.
  const asked = useRef(new Set<string>());
  const { refetch } = audit;
  useEffect(() => {
    const listed = new Set(entries.map((e) => e.id));
    const missing = [...operations.values()].filter((o) => o.finished && !listed.has(o.operationId) && !asked.current.has(o.operationId));
    if (missing.length === 0) return;
    for (const o of missing) asked.current.add(o.operationId);
    void refetch();
  }, [operations, entries, refetch]);

  const targetOf = (target: string): NodeId | null =>
    model.pfByAddress.has(target) ? nodeId.pf(target) : model.vfByAddress.has(target) ? nodeId.vf(target) : null;

  if (!audit.data) {
    if (audit.error) return <ErrorState error={audit.error} context={`History of ${hostId}`} lastTried={audit.errorUpdatedAt} />;
    return <p className="history muted">Reading the audit log of {hostId}…</p>;
  }
  const more = audit.data.entries.length >= limit && limit < AUDIT_MAX;
  return (
    <section className="history" aria-label="history">
      <h2>History of {model.host.hostname}</h2>
      {entries.length === 0 ? <p className="muted">No change has been made through this agent yet.</p> : null}
      <ol className="history-list">
        {entries.map((e) => {
          const w = auditWords(e);
          const target = targetOf(e.target);
          return (
            <li key={e.id} className={`history-entry result-${e.result}`} data-operation={e.id}>
              <time dateTime={e.at}>{localDateTime(e.at)}</time>
              <span className="history-who">{w.who}</span>
              <span className="history-client muted">from {w.client}</span>
              <span className="history-what">
                {target ? (
                  <button type="button" className="link" onClick={() => onGoto(target)} title="Select it in the graph">
                    {w.what}
                  </button>
                ) : (
                  w.what
                )}
              </span>
              <span className={`history-result tag result-${e.result}`}>{w.result}</span>
              {w.detail ? <span className="history-detail muted">{w.detail}</span> : null}
            </li>
          );
        })}
      </ol>
      {audit.data.unreadable > 0 ? <p className="muted">{audit.data.unreadable} unreadable line(s) of the log were skipped.</p> : null}
      {more ? (
        <button type="button" className="secondary" disabled={audit.isFetching} onClick={() => setLimit((n) => Math.min(n + AUDIT_PAGE, AUDIT_MAX))}>
          {audit.isFetching ? 'Loading…' : 'Load more'}
        </button>
      ) : null}
    </section>
  );
}
