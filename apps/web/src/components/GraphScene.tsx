import { memo, useEffect, useMemo, useState } from 'react';
import type { DriftFinding, OperationKind } from '@vfmap/model';
import type { OperationProgress } from '../api/useHostEvents';
import { ariaLabel, countsText, describePf, describeVf, describeVm } from '../graph/describeNode';
import { edgeMidpoint, edgePath, type CardBox, type EdgeBox, type LaneBox, type Layout, type PfBox, type VmBox } from '../graph/graphLayout';
import { GEOMETRY } from '../graph/graphLayout';
import { driftBadgePath, driftMarkLabel, worstSeverity } from '../graph/driftMarks';
import type { KeptMark } from '../graph/keptMarks';
import { forcedGlyphPath, forcedMarkLabel, type ForcedMark } from '../graph/forcedMarks';
import { nodeId } from '../graph/nodeId';
import { slotMarks } from '../graph/slotMarks';
import { formatSpeed } from '../format/units';

/**
 * Draws a laid-out graph and nothing else: no state, no handlers (GraphView delegates events
 * from the root). Memoised per layer, so hover, focus and zoom never re-render the slots.
 * Cards, PFs, bars and VMs are named by the text they show (WCAG 2.5.3, label in name: what a
 * voice user reads is what the button is called) and described by the full account
 * (aria-description); a slot shows no text, so its aria-label says it all.
 */
export interface GraphSceneProps {
  layout: Layout;
  operations: ReadonlyMap<string, OperationProgress>;
  /** PFs whose VFs a reboot would not bring back as they are (the host's persistence). */
  kept?: ReadonlyMap<string, KeptMark>;
  /** VFs a forced count change of this tab re-created under a running VM, by address (useForcedMarks). */
  forced?: ReadonlyMap<string, ForcedMark>;
}

const NO_MARKS: ReadonlyMap<string, KeptMark> = new Map();
const NO_FORCED: ReadonlyMap<string, ForcedMark> = new Map();
const NONE_FORCED: readonly ForcedMark[] = [];

export const GraphScene = memo(function GraphScene({ layout, operations, kept = NO_MARKS, forced = NO_FORCED }: GraphSceneProps) {
  // Each PF row gets its own marks (the same array while they stay), so the other rows keep their memo.
  const forcedByPf = useMemo(() => {
    const byPf = new Map<string, ForcedMark[]>();
    if (forced.size === 0) return byPf;
    for (const pf of layout.pfs)
      for (const vf of pf.pf.vfs) {
        const mark = forced.get(vf.address);
        if (mark) byPf.set(pf.address, (byPf.get(pf.address) ?? []).concat(mark));
      }
    return byPf;
  }, [forced, layout]);
  return (
    <>
      <Lanes lanes={layout.lanes} />
      <Cards cards={layout.cards} />
      <g className="pfs">
        {layout.pfs.map((pf) => (
          <PfRow key={pf.address} box={pf} operation={operationFor(pf, operations)} kept={kept.get(pf.address) ?? null} forced={forcedByPf.get(pf.address) ?? NONE_FORCED} />
        ))}
      </g>
      {/* Over the slots: an edge begins at the VF it stands for (graphOverlays.css lets clicks through). */}
      <Edges edges={layout.edges} />
      <Vms vms={layout.vms} />
    </>
  );
});

function operationFor(pf: PfBox, operations: ReadonlyMap<string, OperationProgress>): OperationProgress | null {
  const own = operations.get(pf.address);
  if (own) return own;
  for (const vf of pf.pf.vfs) {
    const op = operations.get(vf.address);
    if (op) return op;
  }
  return null;
}

const Lanes = memo(function Lanes({ lanes }: { lanes: LaneBox[] }) {
  return (
    <g className="lanes">
      {lanes.map((lane) => (
        <g key={String(lane.node)} className="lane">
          <rect className="lane-box" x={lane.x} y={lane.y} width={lane.w} height={lane.h} rx={10} />
          <text className="lane-label" x={lane.x + 12} y={lane.y + 20}>
            {lane.label}
            <tspan className="muted">
              {'  '}
              {lane.free} free of {lane.total} VFs
            </tspan>
          </text>
        </g>
      ))}
    </g>
  );
});

const Cards = memo(function Cards({ cards }: { cards: CardBox[] }) {
  return (
    <g className="cards">
      {cards.map((c) => (
        <g
          key={c.id}
          className="node card"
          data-node={nodeId.card(c.id)}
          data-card={c.id}
          role="button"
          tabIndex={-1}
          aria-description={`card ${[c.card.vendor, c.card.label].filter(Boolean).join(' ')} in slot ${c.id}, ${c.card.pfs.length} ports`}
        >
          <rect className="box" x={c.x} y={c.y} width={c.w} height={c.h} rx={8} />
          <text className="card-title" x={c.x + 12} y={c.y + 20}>
            {[c.card.vendor, c.card.label].filter(Boolean).join(' ')}{' '}
            <tspan className="mono muted" dx={6}>
              {c.id}
            </tspan>
            {c.card.card.numaNodes.length > 1 ? (
              <tspan className="warn" dx={6}>
                {' '}
                spans NUMA {c.card.card.numaNodes.join('+')}
              </tspan>
            ) : null}
          </text>
        </g>
      ))}
    </g>
  );
});

/** Above this many edges their count labels would be a column of noise (and a thousand nodes). */
const EDGE_LABELS_UP_TO = 30;

const Edges = memo(function Edges({ edges }: { edges: EdgeBox[] }) {
  const labels = edges.length <= EDGE_LABELS_UP_TO;
  return (
    <g className="edges">
      {edges.map((e) => (
        <g key={e.id} className={e.pending ? 'edge pending' : 'edge'} data-edge={e.id} data-edge-vm={e.vmId}>
          <path d={edgePath(e)} strokeWidth={1.25 + Math.min(4, Math.log2(e.count))} />
          <circle cx={e.start.x} cy={e.start.y} r={2.5} />
          {labels && e.count > 1 ? (
            <text x={edgeMidpoint(e).x} y={edgeMidpoint(e).y - 4} className="edge-count" textAnchor="middle">
              ×{e.count}
            </text>
          ) : null}
        </g>
      ))}
    </g>
  );
});

const PfRow = memo(function PfRow({ box, operation, kept, forced }: { box: PfBox; operation: OperationProgress | null; kept: KeptMark | null; forced: readonly ForcedMark[] }) {
  const pf = box.pf;
  const p = pf.pf;
  const netdev = p.netdevs[0];
  const l = box.label;
  const canToggle = pf.vfs.length > 0;
  const speed = netdev?.operState === 'up' ? formatSpeed(netdev.speedMbps) : null;
  return (
    <g className="pf-row">
      <g
        className={p.holder ? 'node pf held-whole' : 'node pf'}
        data-node={nodeId.pf(pf.address)}
        data-pf={pf.address}
        role="button"
        tabIndex={-1}
        aria-description={ariaLabel(describePf(pf))}
      >
        <rect className="box" x={l.x} y={l.y} width={l.w} height={l.h} rx={6} />
        <text x={l.x + 10} y={l.y + 18} className="pf-title">
          port {pf.port}
          {netdev ? <tspan dx={4}> {netdev.name}</tspan> : null}
        </text>
        <text x={l.x + 10} y={l.y + 35} className="pf-link">
          {netdev ? (
            <tspan className={netdev.operState === 'up' ? 'link-up' : 'link-down'}>
              {netdev.operState === 'up' ? '▲ up' : `▼ ${netdev.operState ?? 'unknown'}`}
              {speed ? ` ${speed}` : ''}
            </tspan>
          ) : (
            <tspan className="muted">no netdev</tspan>
          )}
          <tspan className="muted"> · {p.numaNode === null ? 'NUMA ?' : `NUMA ${p.numaNode}`}</tspan>
        </text>
        <text x={l.x + 10} y={l.y + 52} className="pf-meta">
          <tspan className="mono">{pf.address}</tspan>
          <tspan className="muted">
            {' '}
            · {p.driver ?? 'no driver'} · {p.numVfs}/{p.totalVfs} VFs
          </tspan>
        </text>
        {pf.drift.length > 0 ? <DriftBadge findings={pf.drift} node={nodeId.pf(pf.address)} address={pf.address} cx={l.x + l.w - 30} cy={l.y + 13} r={6} /> : null}
        {canToggle ? (
          <text
            x={l.x + l.w - 10}
            y={l.y + 18}
            className="toggle"
            textAnchor="end"
            data-action="toggle"
            data-toggle-pf={pf.address}
            aria-hidden="true"
          >
            {box.visible.collapsed ? '▸' : '▾'}
          </text>
        ) : null}
      </g>
      {box.bar ? <SummaryBar box={box} kept={kept} forced={forced} /> : null}
      {box.cells.length > 0 ? <SlotStrip box={box} forced={forced} /> : null}
      {box.note ? (
        <text x={box.strip.x} y={box.strip.y + 16} className="note">
          {box.note}
        </text>
      ) : null}
      {box.note && kept ? (
        <text x={box.strip.x} y={box.strip.y + 34} className="counts">
          <KeptTspan kept={kept} first />
        </text>
      ) : null}
      {pf.vfs.length > 0 && !box.bar ? (
        <text x={box.strip.x} y={box.strip.y + box.strip.h + 16} className="counts">
          <tspan className="free-text">{pf.counts.free} free</tspan> · {pf.counts.held} held
          {pf.counts.unavailable > 0 ? ` · ${pf.counts.unavailable} unavailable` : ''}
          {box.visible.hidden > 0 ? ` · ${box.visible.hidden} hidden by the filter` : ''}
          {pf.vfDrift.length > 0 ? <DriftTspan findings={pf.vfDrift} /> : null}
          {forced.length > 0 ? <ForcedTspan marks={forced} /> : null}
          {kept ? <KeptTspan kept={kept} /> : null}
        </text>
      ) : null}
      {operation ? <OperationBadge box={box} operation={operation} /> : null}
    </g>
  );
});

/** "· ⚠ lost at reboot" after a PF's counts: a mark on the PF, its evidence in the tooltip. */
function KeptTspan({ kept, first = false }: { kept: KeptMark; first?: boolean }) {
  return (
    <tspan className={`kept-mark ${kept.kind}`} data-kept-mark={kept.kind}>
      <title>{kept.title}</title>
      {first ? '' : ' · '}
      {kept.kind === 'lost' ? '⚠ ' : '≠ '}
      {kept.text}
    </tspan>
  );
}

function SummaryBar({ box, kept, forced }: { box: PfBox; kept: KeptMark | null; forced: readonly ForcedMark[] }) {
  const bar = box.bar!;
  const c = box.pf.counts;
  const total = Math.max(c.total, 1);
  const wFree = (bar.w * c.free) / total;
  const wHeld = (bar.w * c.held) / total;
  const wUnavailable = bar.w - wFree - wHeld;
  return (
    <g
      className="node bar"
      data-node={nodeId.bar(box.address)}
      data-bar={box.address}
      role="button"
      tabIndex={-1}
      aria-expanded={false}
      aria-description={`${box.pf.label}: ${countsText(c)}, collapsed; press Enter to show every slot`}
    >
      <rect className="box" x={bar.x - 2} y={bar.y - 2} width={bar.w + 4} height={GEOMETRY.barH + 22} rx={4} />
      <rect x={bar.x} y={bar.y} width={wFree} height={18} fill="url(#bar-free)" className="seg" />
      <rect x={bar.x + wFree} y={bar.y} width={wHeld} height={18} className="seg fill-held" />
      {wUnavailable > 0.5 ? <rect x={bar.x + wFree + wHeld} y={bar.y} width={wUnavailable} height={18} fill="url(#bar-unavailable)" className="seg" /> : null}
      <text x={bar.x} y={bar.y + 36} className="counts">
        <tspan className="free-text">{c.free} free</tspan> · {c.held} held
        {c.unavailable > 0 ? ` · ${c.unavailable} unavailable` : ''} · {c.total} VFs
        {box.pf.vfDrift.length > 0 ? <DriftTspan findings={box.pf.vfDrift} /> : null}
        {forced.length > 0 ? <ForcedTspan marks={forced} /> : null}
        {kept ? <KeptTspan kept={kept} /> : null}
        <tspan className="muted"> — click to show the slots</tspan>
      </text>
    </g>
  );
}

/** One <rect> per VF and no component per VF: 256 slots are 256 elements, drawn once. */
const SlotStrip = memo(function SlotStrip({ box, forced }: { box: PfBox; forced: readonly ForcedMark[] }) {
  const size = GEOMETRY.cell;
  const marks = slotMarks(box.cells, size);
  const forcedAt = new Map(forced.map((m) => [m.vf, m] as const));
  return (
    <g className="strip">
      {box.rows.map((r) => (
        <text key={r.index} x={box.strip.x - 6} y={r.y + size - 3} className="row-index" textAnchor="end">
          {r.index}
        </text>
      ))}
      {box.cells.map((c) => (
        <rect
          key={c.address}
          className={c.pending ? `cell s-${c.state} pending` : `cell s-${c.state}`}
          x={c.x}
          y={c.y}
          width={size}
          height={size}
          rx={2}
          data-node={nodeId.vf(c.address)}
          data-vf={c.address}
          data-state={c.state}
          role="button"
          tabIndex={-1}
          aria-label={ariaLabel(describeVf(c.vf))}
        />
      ))}
      {marks.free ? <path className="marks marks-free" d={marks.free} data-free-marks={marks.freeCount} aria-hidden="true" /> : null}
      {marks.unavailable ? <path className="marks marks-unavailable" d={marks.unavailable} aria-hidden="true" /> : null}
      {forced.length > 0
        ? box.cells.map((c) => {
            const mark = forcedAt.get(c.address);
            return mark ? (
              <path
                key={`forced-${c.address}`}
                className="forced-glyph"
                d={forcedGlyphPath(c.x, c.y, size)}
                data-node={nodeId.vf(c.address)}
                data-forced-mark={c.address}
                role="img"
                aria-label={forcedMarkLabel(mark)}
              />
            ) : null;
          })
        : null}
      {box.cells.map((c) =>
        c.vf.drift.length > 0 ? <DriftBadge key={c.address} findings={c.vf.drift} node={nodeId.vf(c.address)} address={c.address} cx={c.x + size - 1.5} cy={c.y + 1.5} r={4.5} /> : null,
      )}
    </g>
  );
});

/**
 * A mark on a slot or a PF label a drift finding names: its shape and colour say the worst
 * severity, its label the finding. It belongs to its node (data-node), so a click selects the
 * node and the details panel explains.
 */
function DriftBadge({
  findings,
  node,
  address,
  cx,
  cy,
  r,
  vm,
}: {
  findings: readonly DriftFinding[];
  node: string;
  address: string;
  cx: number;
  cy: number;
  r: number;
  /** the VM's name, when the mark is on a VM's box */
  vm?: string;
}) {
  const worst = worstSeverity(findings)!;
  // A device's mark names its address (data-drift-badge); a VM's its id (data-vm-drift).
  const names = vm !== undefined ? { 'data-vm-drift': address } : { 'data-drift-badge': address };
  return (
    <path
      className={`drift-badge sev-${worst}`}
      d={driftBadgePath(worst, cx, cy, r)}
      data-node={node}
      {...names}
      data-severity={worst}
      role="img"
      aria-label={driftMarkLabel(findings, vm)}
    />
  );
}

/** "· ◆ 2 differ from config" after a PF's counts: its VFs' findings, the slots' marks hidden or not. */
function DriftTspan({ findings }: { findings: readonly DriftFinding[] }) {
  const worst = worstSeverity(findings)!;
  return (
    <tspan className={`drift-text sev-${worst}`} data-drift-count={findings.length}>
      {' · '}
      {DRIFT_GLYPH[worst]} {findings.length} differ from config
    </tspan>
  );
}

/** "· ◣ 1 re-created by a forced change" after a PF's counts, its slots' marks hidden or not. */
function ForcedTspan({ marks }: { marks: readonly ForcedMark[] }) {
  return (
    <tspan className="forced-text" data-forced-count={marks.length}>
      {' · '}◣ {marks.length} re-created by a forced change
      <title>{marks.map(forcedMarkLabel).join('\n')}</title>
    </tspan>
  );
}

const DRIFT_GLYPH = { fail: '◆', warn: '▲', info: '●' } as const;

const OPERATION_WORDS: Record<OperationKind, string> = {
  numvfs: 'changing the VF count',
  assign: 'assigning',
  release: 'releasing',
  vfconfig: 'changing settings',
  vfdriver: 'changing driver',
  autoprobe: 'changing autoprobe',
  stablemacs: 'setting stable MACs',
  prepare: 'preparing VFs',
  reapply: 're-applying',
  persist: 'writing the boot files',
};
const DONE_WORDS: Record<OperationKind, string> = {
  numvfs: 'VF count',
  assign: 'assign',
  release: 'release',
  vfconfig: 'settings',
  vfdriver: 'driver',
  autoprobe: 'autoprobe',
  stablemacs: 'stable MACs',
  prepare: 'prepare',
  reapply: 're-apply',
  persist: 'persist',
};
const RESULT_WORDS = { ok: 'done', refused: 'refused', failed: 'failed', partial: 'stopped half-way', interrupted: 'interrupted' } as const;
/** Room for the "SR-IOV off" note when there are no slots to frame. */
const NOTE_WIDTH = 280;

/**
 * A write where it happens: a marching frame around the PF's slots while the operation runs,
 * with the seconds passing (removing VFs takes the kernel 1–3 s), then a short result. The
 * agent's full account is the frame's tooltip; the details panel says it in full.
 */
function OperationBadge({ box, operation }: { box: PfBox; operation: OperationProgress }) {
  const running = operation.finished === null;
  const seconds = useElapsedSeconds(running);
  const what = operation.target === box.address ? '' : ` VF ${box.pf.vfs.find((v) => v.address === operation.target)?.index ?? operation.target}`;
  const step = operation.steps?.at(-1);
  const text = running
    ? `${OPERATION_WORDS[operation.kind]}${what}… ${step ? `step ${step.step} of ${step.of} · ` : ''}${seconds.toFixed(1)} s`
    : `${DONE_WORDS[operation.kind]}${what}: ${RESULT_WORDS[operation.finished!.result]}`;
  const failed = !running && operation.finished!.result !== 'ok';
  const cellsRight = box.cells.reduce((right, c) => Math.max(right, c.x + GEOMETRY.cell), box.strip.x);
  const width = box.cells.length > 0 ? cellsRight - box.strip.x : box.bar ? box.bar.w : NOTE_WIDTH;
  return (
    <g className={`operation ${operation.kind} ${running ? 'running' : failed ? 'failed' : 'done'}`} role="status" data-operation={operation.target}>
      {operation.finished?.detail ? <title>{operation.finished.detail}</title> : null}
      <rect x={box.strip.x - 3} y={box.strip.y - 3} width={width + 6} height={box.strip.h + 6} rx={4} />
      <text x={box.strip.x} y={box.strip.y - 7}>
        {text}
      </text>
    </g>
  );
}

/** Seconds since the badge appeared, ticking while the operation runs and kept once it ends. */
function useElapsedSeconds(running: boolean): number {
  const [start] = useState(() => performance.now());
  const [now, setNow] = useState(start);
  useEffect(() => {
    if (!running) {
      setNow(performance.now());
      return;
    }
    const timer = setInterval(() => setNow(performance.now()), 100);
    return () => clearInterval(timer);
  }, [running]);
  return Math.max(0, (now - start) / 1000);
}

const Vms = memo(function Vms({ vms }: { vms: VmBox[] }) {
  return (
    <g className="vms">
      {vms.map((v) => {
        const vm = v.vm;
        const held = vm.vfs.length + vm.devices.length;
        return (
          <g
            key={v.id}
            className={`node vm state-${vm.vm.state}${vm.pendingCount > 0 ? ' has-pending' : ''}`}
            data-node={nodeId.vm(v.id)}
            data-vm={v.id}
            role="button"
            tabIndex={-1}
            aria-description={ariaLabel(describeVm(vm))}
          >
            <rect className="box" x={v.x} y={v.y} width={v.w} height={v.h} rx={8} />
            <text x={v.x + 12} y={v.y + (v.compact ? 15 : 20)} className="vm-name">
              {truncate(vm.vm.name, 24)}
            </text>
            <text x={v.x + v.w - 10} y={v.y + (v.compact ? 15 : 20)} className="vm-state" textAnchor="end">
              {vm.vm.state}
            </text>
            <text x={v.x + 12} y={v.y + (v.compact ? 29 : 38)} className="vm-meta">
              <tspan className="muted">
                VM {truncate(vm.id, 10)} · {vm.vfs.length} VF{vm.vfs.length === 1 ? '' : 's'}
                {vm.devices.length > 0 ? ` +${vm.devices.length} device${vm.devices.length === 1 ? '' : 's'}` : ''}
                {held > 0 && vm.numaNodes.length === 1 ? ` · NUMA ${vm.numaNodes[0]}` : ''}
              </tspan>
              {vm.numaNodes.length > 1 ? <tspan className="warn"> · NUMA {vm.numaNodes.join('+')}</tspan> : null}
            </text>
            {vm.drift.length > 0 ? <DriftBadge findings={vm.drift} node={nodeId.vm(v.id)} address={v.id} cx={v.x + v.w - 10} cy={v.y} r={6} vm={vm.vm.name} /> : null}
            {vm.pendingCount > 0 || vm.unlisted ? (
              <text x={v.x + v.w - 10} y={v.y + (v.compact ? 29 : 38)} textAnchor="end" className={vm.unlisted ? 'warn' : 'pending-text'}>
                {vm.unlisted ? 'not listed' : `${vm.pendingCount} pending`}
              </text>
            ) : null}
          </g>
        );
      })}
    </g>
  );
});

function truncate(s: string, n: number): string {
  return s.length > n ? `${s.slice(0, n - 1)}…` : s;
}
