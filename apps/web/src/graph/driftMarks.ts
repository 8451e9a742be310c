import type { DriftFinding, DriftSeverity } from '@vfmap/model';
import { nodeId, type NodeId } from './nodeId';

/**
 * Where VM configurations and what runs on the host disagree, arranged for the drawing: the
 * findings of each address (a VF's slot and a PF's label carry a mark), the worst severity of a
 * set (the mark's colour), and where in the graph a finding's device is drawn, if anywhere
 * (a config can name a VF the host no longer has).
 */

const SEVERITY_ORDER: Record<DriftSeverity, number> = { fail: 0, warn: 1, info: 2 };

/** Worst first, then by address, as the agent sent them otherwise. */
export function sortFindings(findings: readonly DriftFinding[]): DriftFinding[] {
  return findings
    .map((finding, i) => ({ finding, i }))
    .sort((a, b) => SEVERITY_ORDER[a.finding.severity] - SEVERITY_ORDER[b.finding.severity] || compare(a.finding.address, b.finding.address) || a.i - b.i)
    .map(({ finding }) => finding);
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

export function worstSeverity(findings: readonly DriftFinding[]): DriftSeverity | null {
  let worst: DriftSeverity | null = null;
  for (const f of findings) if (worst === null || SEVERITY_ORDER[f.severity] < SEVERITY_ORDER[worst]) worst = f.severity;
  return worst;
}

/** The findings about each device address, worst first. */
export function driftByAddress(drift: readonly DriftFinding[]): ReadonlyMap<string, readonly DriftFinding[]> {
  const byAddress = new Map<string, DriftFinding[]>();
  for (const f of sortFindings(drift)) byAddress.set(f.address, [...(byAddress.get(f.address) ?? []), f]);
  return byAddress;
}

/** The findings about a VM: those it is the subject of, and those where it is the other VM involved. */
export function driftOfVm(drift: readonly DriftFinding[], vmId: string): DriftFinding[] {
  return sortFindings(drift.filter((f) => f.vmId === vmId || f.otherVmId === vmId));
}

/** The node a finding's device is drawn as: a VF's slot, a PF's label; null when the graph does not draw it. */
export function driftTarget(finding: DriftFinding, drawn: { vfByAddress: ReadonlyMap<string, unknown>; pfByAddress: ReadonlyMap<string, unknown> }): NodeId | null {
  if (drawn.vfByAddress.has(finding.address)) return nodeId.vf(finding.address);
  if (drawn.pfByAddress.has(finding.address)) return nodeId.pf(finding.address);
  return null;
}

/** What a mark says to a screen reader and in its tooltip: the one finding's title, or how many and the worst. */
export function driftMarkLabel(findings: readonly DriftFinding[], vmName?: string): string {
  const worst = worstSeverity(findings);
  if (worst === null) return '';
  return `Config and reality differ${vmName === undefined ? '' : ` for VM ${vmName}`}: ${findings.length === 1 ? findings[0]!.title : `${findings.length} findings, worst: ${worst}`}`;
}

/**
 * The mark's outline, centred on (cx, cy) with radius r: a diamond for fail, a triangle for warn,
 * a circle for info, so the severity reads without its colour too.
 */
export function driftBadgePath(severity: DriftSeverity, cx: number, cy: number, r: number): string {
  const f = (n: number) => Number(n.toFixed(2));
  if (severity === 'fail') return `M${f(cx)},${f(cy - r)}L${f(cx + r)},${f(cy)}L${f(cx)},${f(cy + r)}L${f(cx - r)},${f(cy)}Z`;
  if (severity === 'warn') return `M${f(cx)},${f(cy - r)}L${f(cx + r)},${f(cy + r * 0.8)}L${f(cx - r)},${f(cy + r * 0.8)}Z`;
  return `M${f(cx - r)},${f(cy)}a${f(r)},${f(r)} 0 1,0 ${f(2 * r)},0a${f(r)},${f(r)} 0 1,0 ${f(-2 * r)},0`;
}
