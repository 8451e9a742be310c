import { fullDeviceName } from '../format/deviceName';
import type { Holder, Netdev } from '@vfmap/model';
import type { ReactNode } from 'react';
import { assignabilityOf } from '../graph/assignability';
import { countsText } from '../graph/describeNode';
import type { CardNode, GraphModel, PfNode, VfNode, VmNode } from '../graph/graphModel';
import { nodeId, parseNodeId, type NodeId } from '../graph/nodeId';
import { localDateTime } from '../format/clock';
import { formatSpeed, plural } from '../format/units';
import { holderSourceWords } from '../graph/holderWords';
import { Copyable } from './CopyButton';
import { DriftSection } from './drift/DriftFindings';
import { VfSettings } from './VfSettings';
import type { ForcedMark } from '../graph/forcedMarks';
import { ForcedMarkNote } from './ForcedMarkNote';

/**
 * Everything the agent reports about the selected card, PF, VF or VM, with the reasons a VF can
 * or cannot be given to a VM said in words. `actions` is where the write path puts its controls
 * for the selected node; without it the panel only reads.
 */
export interface DetailsPanelProps {
  model: GraphModel;
  selected: NodeId | null;
  onSelect: (id: NodeId | null) => void;
  onToggle: (pfAddress: string) => void;
  isCollapsed: (pfAddress: string) => boolean;
  actions?: (selected: NodeId) => ReactNode;
  /** the editor of a VF's settings, in place of the read-only list; without it (or null) the list shows. */
  vfSettings?: (vf: VfNode) => ReactNode;
  /** VFs a forced count change re-created under a VM, by address, until the holder is reconciled. */
  forcedMarks?: ReadonlyMap<string, ForcedMark>;
}

export function DetailsPanel(props: DetailsPanelProps) {
  const { model, selected } = props;
  const parsed = selected ? parseNodeId(selected) : null;
  // The controls go right under what they change (a VF's verdict, a PF's counts), not below
  // a screenful of fields.
  const slot = selected && props.actions ? <div className="details-actions">{props.actions(selected)}</div> : null;
  let placed = false;
  let body: ReactNode = <NothingSelected model={model} />;
  if (parsed) {
    switch (parsed.kind) {
      case 'vf': {
        const vf = model.vfByAddress.get(parsed.key);
        if (vf) {
          body = <VfDetails vf={vf} {...props} slot={slot} />;
          placed = true;
        }
        break;
      }
      case 'pf':
      case 'bar': {
        const pf = model.pfByAddress.get(parsed.key);
        if (pf) {
          body = <PfDetails pf={pf} {...props} slot={slot} />;
          placed = true;
        }
        break;
      }
      case 'card': {
        const card = model.cardById.get(parsed.key);
        if (card) body = <CardDetails card={card} {...props} />;
        break;
      }
      case 'vm': {
        const vm = model.vmById.get(parsed.key);
        if (vm) body = <VmDetails vm={vm} {...props} />;
        break;
      }
    }
  }
  return (
    <aside className="details" aria-label="details" aria-live="polite">
      {body}
      {placed ? null : slot}
    </aside>
  );
}

function Field({ label, children }: { label: string; children: ReactNode }) {
  return (
    <>
      <dt>{label}</dt>
      <dd>{children}</dd>
    </>
  );
}

const none = <span className="muted">none</span>;
const unknown = <span className="muted">not reported</span>;

function orNone(value: string | null, fallback: ReactNode = none): ReactNode {
  return value === null || value === '' ? fallback : value;
}

function ids(vendorId: string, deviceId: string) {
  return (
    <code>
      {vendorId}:{deviceId}
    </code>
  );
}

function NodeLink({ id, children, onSelect }: { id: NodeId; children: ReactNode; onSelect: (id: NodeId) => void }) {
  return (
    <button type="button" className="link" onClick={() => onSelect(id)}>
      {children}
    </button>
  );
}

function Netdevs({ netdevs }: { netdevs: Netdev[] }) {
  if (netdevs.length === 0) return none;
  return (
    <ul className="plain">
      {netdevs.map((n) => (
        <li key={n.name}>
          <strong>{n.name}</strong> {n.operState ?? 'state unknown'}
          {n.operState === 'up' && formatSpeed(n.speedMbps) ? ` ${formatSpeed(n.speedMbps)}` : ''}
          {n.mac ? (
            <div>
              MAC <Copyable text={n.mac} what="MAC" />
            </div>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

function HolderField({ holder, onSelect, model }: { holder: Holder | null; onSelect: (id: NodeId) => void; model: GraphModel }) {
  if (!holder) return none;
  const vm = model.vmById.get(holder.vmId);
  const source = holderSourceWords(holder, (id) => {
    const v = model.vmById.get(id);
    return v ? { name: v.vm.name, state: v.vm.state } : null;
  });
  return (
    <>
      <NodeLink id={nodeId.vm(holder.vmId)} onSelect={onSelect}>
        VM {holder.vmId} {holder.vmName}
      </NodeLink>{' '}
      via <code>{holder.via}</code>
      {vm ? ` (${vm.vm.state})` : ''}
      {holder.pending ? <span className="tag pending-tag">pending</span> : null}
      {source ? <div className="holder-source">{source}</div> : null}
    </>
  );
}

function GroupMembers({ model, group, self, onSelect }: { model: GraphModel; group: number | null; self: string; onSelect: (id: NodeId) => void }) {
  if (group === null) return <span className="muted">no IOMMU group</span>;
  const members = model.groups.get(group) ?? [];
  const others = members.filter((a) => a !== self);
  return (
    <>
      {group}
      {others.length === 0 ? (
        <span className="muted"> · alone in its group</span>
      ) : (
        <>
          <span className="warn-text"> · shared with {others.length}:</span>
          <ul className="plain members">
            {others.map((a) => {
              const d = model.deviceByAddress.get(a);
              const target = d?.kind === 'vf' ? nodeId.vf(a) : d?.kind === 'pf' ? nodeId.pf(a) : null;
              return (
                <li key={a}>
                  {target ? (
                    <NodeLink id={target} onSelect={onSelect}>
                      <code>{a}</code>
                    </NodeLink>
                  ) : (
                    <code>{a}</code>
                  )}{' '}
                  <span className="muted">{d?.name ?? ''}</span>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </>
  );
}

function VfDetails({ vf, model, onSelect, slot, vfSettings, forcedMarks }: { vf: VfNode; slot: ReactNode } & DetailsPanelProps) {
  const a = assignabilityOf(vf, model);
  const pf = model.pfByAddress.get(vf.pf)!;
  const raw = vf.vf;
  return (
    <section aria-label={`VF ${vf.index} ${vf.address}`}>
      <p className="kind">Virtual function</p>
      <h2>
        VF {vf.index} <span className="muted">of {pf.label}</span>
      </h2>
      <Copyable text={vf.address} what="PCI address" />
      <div className={`verdict verdict-${a.verdict}`} data-verdict={a.verdict}>
        <strong>{a.summary}</strong>
        {a.warning ? (
          <p className="warn-text" role="note">
            {a.warning}
          </p>
        ) : null}
        {a.blocking.length > 0 ? (
          <ul>
            {a.blocking.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        ) : null}
        <ul className="notes">
          {a.notes.map((r) => (
            <li key={r}>{r}</li>
          ))}
        </ul>
      </div>
      <ForcedMarkNote mark={forcedMarks?.get(vf.address)} />
      <DriftSection findings={vf.drift} model={model} onSelect={onSelect} />
      {slot}
      <dl>
        <Field label="Address">
          <Copyable text={vf.address} what="PCI address" />
        </Field>
        <Field label="Index">virtfn{raw.index}</Field>
        <Field label="State">
          {a.verdict === 'conflict' ? (
            <span className="state-word s-conflict">named by a VM, held by the host</span>
          ) : (
            <span className={`state-word s-${vf.state}`}>{vf.state}</span>
          )}
        </Field>
        <Field label="PF">
          <NodeLink id={nodeId.pf(pf.address)} onSelect={onSelect}>
            <code>{pf.address}</code> {pf.label}
          </NodeLink>
        </Field>
        <Field label="Vendor:device">{ids(raw.vendorId, raw.deviceId)}</Field>
        <Field label="Driver">{orNone(raw.driver)}</Field>
        <Field label="driver_override">{orNone(raw.driverOverride)}</Field>
        <Field label="NUMA node">{raw.numaNode === null ? unknown : raw.numaNode}</Field>
        <Field label="IOMMU group">
          <GroupMembers model={model} group={raw.iommuGroup} self={vf.address} onSelect={onSelect} />
        </Field>
        <Field label={a.verdict === 'conflict' ? 'Named by' : 'Held by'}>
          <HolderField holder={raw.holder} onSelect={onSelect} model={model} />
        </Field>
        <Field label="Net interfaces">
          <Netdevs netdevs={raw.netdevs} />
        </Field>
      </dl>
      <h3>Settings</h3>
      {(raw.config !== null && vfSettings?.(vf)) || <VfSettings config={raw.config} pfHasNetdev={pf.pf.netdevs.length > 0} />}
    </section>
  );
}

function PfDetails({ pf, model, onSelect, onToggle, isCollapsed, slot }: { pf: PfNode; slot: ReactNode } & DetailsPanelProps) {
  const p = pf.pf;
  const holders = [...new Set(pf.vfs.map((v) => v.holderVmId).filter((id): id is string => id !== null))];
  const collapsed = isCollapsed(pf.address);
  return (
    <section aria-label={`PF ${pf.address}`}>
      <p className="kind">Physical function</p>
      <h2>{pf.label}</h2>
      <Copyable text={pf.address} what="PCI address" />
      <p className="counts-line">
        <span className="free-text">{pf.counts.free} free</span>
        {countsText(pf.counts).slice(`${pf.counts.free} free`.length)}
      </p>
      {pf.vfs.length > 0 ? (
        <button type="button" className="secondary" onClick={() => onToggle(pf.address)} aria-expanded={!collapsed}>
          {collapsed ? `Show all ${pf.vfs.length} slots` : 'Collapse to the summary bar'}
        </button>
      ) : null}
      <DriftSection findings={[...pf.drift, ...pf.vfDrift]} model={model} onSelect={onSelect} showTarget={pf.vfDrift.length > 0} />
      {slot}
      <dl>
        <Field label="Address">
          <Copyable text={pf.address} what="PCI address" />
        </Field>
        <Field label="Card">
          <NodeLink id={nodeId.card(pf.cardId)} onSelect={onSelect}>
            <code>{pf.cardId}</code>
          </NodeLink>{' '}
          port {pf.port}
        </Field>
        <Field label="Vendor">
          {orNone(p.vendorName, unknown)} {ids(p.vendorId, p.deviceId)}
        </Field>
        <Field label="Device">{orNone(p.deviceName, unknown)}</Field>
        <Field label="Subsystem">
          {p.subsystemVendorId && p.subsystemDeviceId ? ids(p.subsystemVendorId, p.subsystemDeviceId) : unknown}
        </Field>
        <Field label="Class">
          <code>{p.class}</code>
        </Field>
        <Field label="Driver">{orNone(p.driver)}</Field>
        <Field label="driver_override">{orNone(p.driverOverride)}</Field>
        <Field label="NUMA node">{p.numaNode === null ? unknown : p.numaNode}</Field>
        <Field label="IOMMU group">
          <GroupMembers model={model} group={p.iommuGroup} self={pf.address} onSelect={onSelect} />
        </Field>
        <Field label="VFs enabled">
          {p.numVfs} of {p.totalVfs} <span className="muted">(sriov_numvfs / sriov_totalvfs)</span>
        </Field>
        <Field label="VF device id">{p.vfDeviceId ? <code>{p.vfDeviceId}</code> : unknown}</Field>
        <Field label="Offset / stride">
          {p.offset ?? '?'} / {p.stride ?? '?'}
        </Field>
        <Field label="Drivers autoprobe">{p.driversAutoprobe === null ? unknown : p.driversAutoprobe ? 'yes' : 'no'}</Field>
        <Field label="Held whole by">
          <HolderField holder={p.holder} onSelect={onSelect} model={model} />
        </Field>
        <Field label="Net interfaces">
          <Netdevs netdevs={p.netdevs} />
        </Field>
        <Field label="VMs holding its VFs">
          {holders.length === 0 ? (
            none
          ) : (
            <ul className="plain">
              {holders.map((id) => {
                const vm = model.vmById.get(id)!;
                return (
                  <li key={id}>
                    <NodeLink id={nodeId.vm(id)} onSelect={onSelect}>
                      {vm.vm.name}
                    </NodeLink>{' '}
                    <span className="muted">{plural(pf.vfs.filter((v) => v.holderVmId === id).length, 'VF')}</span>
                  </li>
                );
              })}
            </ul>
          )}
        </Field>
      </dl>
    </section>
  );
}

function CardDetails({ card, model, onSelect }: { card: CardNode } & DetailsPanelProps) {
  const c = card.card;
  return (
    <section aria-label={`card ${card.id}`}>
      <p className="kind">Card</p>
      <h2 title={fullDeviceName(c.vendorName, c.deviceName, `${c.vendorId}:${c.deviceId}`)}>{[card.vendor, card.label].filter(Boolean).join(' ')}</h2>
      <Copyable text={card.id} what="PCI slot" />
      <dl>
        <Field label="Vendor">
          {orNone(c.vendorName, unknown)} {ids(c.vendorId, c.deviceId)}
        </Field>
        <Field label="Device">{orNone(c.deviceName, unknown)}</Field>
        <Field label="NUMA nodes">{c.numaNodes.length === 0 ? unknown : c.numaNodes.join(', ')}</Field>
        <Field label="Ports">
          <ul className="plain">
            {card.pfs.map((a) => {
              const pf = model.pfByAddress.get(a)!;
              return (
                <li key={a}>
                  <NodeLink id={nodeId.pf(a)} onSelect={onSelect}>
                    <code>{a}</code> port {pf.port}
                  </NodeLink>{' '}
                  <span className="muted">
                    {pf.counts.free} free of {pf.counts.total}
                  </span>
                </li>
              );
            })}
          </ul>
        </Field>
      </dl>
    </section>
  );
}

function VmDetails({ vm, model, onSelect }: { vm: VmNode } & DetailsPanelProps) {
  return (
    <section aria-label={`VM ${vm.id}`}>
      <p className="kind">Virtual machine</p>
      <h2>{vm.vm.name}</h2>
      <DriftSection findings={vm.drift} model={model} onSelect={onSelect} showTarget />
      <dl>
        <Field label="Id">
          <code>{vm.id}</code>
        </Field>
        <Field label="State">
          <span className={`vm-state-word state-${vm.vm.state}`}>{vm.vm.state}</span>
          {vm.unlisted ? <span className="warn-text"> · a device names it, but the hypervisor did not list it</span> : null}
        </Field>
        <Field label="NUMA nodes">
          {vm.numaNodes.length === 0 ? unknown : vm.numaNodes.join(', ')}
          {vm.numaNodes.length > 1 ? <div className="warn-text">Its devices sit on different sockets: traffic between them crosses the interconnect.</div> : null}
        </Field>
        <Field label={`VFs held (${vm.vfs.length})`}>
          {vm.vfs.length === 0 ? (
            none
          ) : (
            <ul className="plain">
              {vm.vfs.map((a) => {
                const vf = model.vfByAddress.get(a)!;
                const pf = model.pfByAddress.get(vf.pf)!;
                return (
                  <li key={a}>
                    <NodeLink id={nodeId.vf(a)} onSelect={onSelect}>
                      <code>{a}</code>
                    </NodeLink>{' '}
                    <span className="muted">
                      VF {vf.index} of {pf.label} · {vf.vf.holder?.via}
                    </span>
                    {vf.pending ? <span className="tag pending-tag">pending</span> : null}
                  </li>
                );
              })}
            </ul>
          )}
        </Field>
        <Field label="Whole devices held">
          {vm.devices.length === 0 ? (
            none
          ) : (
            <ul className="plain">
              {vm.devices.map((a) => (
                <li key={a}>
                  <code>{a}</code> <span className="muted" title={model.deviceByAddress.get(a)?.fullName}>{model.deviceByAddress.get(a)?.name}</span>
                </li>
              ))}
            </ul>
          )}
        </Field>
      </dl>
    </section>
  );
}

function NothingSelected({ model }: { model: GraphModel }) {
  const h = model.host;
  const warnings = model.topology.warnings;
  return (
    <section aria-label="host">
      <p className="kind">Host</p>
      <h2>{h.hostname}</h2>
      <p className="muted">Select a card, PF, VF or VM to see everything the agent reports about it.</p>
      <dl>
        <Field label="Host id">
          <code>{h.id}</code>
        </Field>
        <Field label="Kernel">{orNone(h.kernel, unknown)}</Field>
        <Field label="Hypervisor">{h.hypervisor}</Field>
        <Field label="IOMMU">{h.iommu.enabled ? 'on' : <span className="warn-text">off: no VF can be passed through</span>}</Field>
        <Field label="Read at">
          <time dateTime={h.collectedAt}>{localDateTime(h.collectedAt)}</time>
        </Field>
        <Field label="PCI devices">
          {model.pfs.length} PFs, {model.counts.total} VFs, {model.topology.devices.length} other
        </Field>
      </dl>
      {warnings.length > 0 ? (
        <details className="warnings">
          <summary>
            {warnings.length} warning{warnings.length === 1 ? '' : 's'} from the reader
          </summary>
          <ul>
            {warnings.map((w, i) => (
              <li key={i}>
                <code>{w.code}</code> {w.message}
                {w.path ? (
                  <>
                    {' '}
                    <code className="muted">{w.path}</code>
                  </>
                ) : null}
              </li>
            ))}
          </ul>
        </details>
      ) : null}
    </section>
  );
}
