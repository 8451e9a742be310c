import type { WriteInFlight } from './useWrites';
import type { OperationProgress } from './useHostEvents';

/**
 * The operations to draw on the strips: those the event stream reports, plus this page's own
 * writes that are still waiting for an answer. Without events (a proxy that buffers them, an
 * agent without the stream) the page's own write still shows where it happens; with events the
 * agent's account wins, as it knows when the operation really started and ended.
 */
export function mergeOperations(events: ReadonlyMap<string, OperationProgress>, inFlight: readonly WriteInFlight[]): ReadonlyMap<string, OperationProgress> {
  const local = inFlight.filter((w) => {
    const reported = events.get(w.target);
    // An event for this target from before this write was sent is an older operation's.
    return !reported || Date.parse(reported.startedAt) < w.submittedAt - CLOCK_SLACK_MS;
  });
  if (local.length === 0) return events;
  const merged = new Map(events);
  for (const w of local) {
    merged.set(w.target, { operationId: `local-${w.submittedAt}`, kind: w.kind, target: w.target, startedAt: new Date(w.submittedAt).toISOString(), finished: null });
  }
  return merged;
}

/** The agent's clock and the browser's differ a little; an event this close to the send is this write's. */
const CLOCK_SLACK_MS = 5_000;
