import { useState, type ReactNode } from 'react';
import type { DesiredVf, PersistenceDifference, VfConfig, VfLinkState, VlanProtocol } from '@vfmap/model';
import { useVfConfigWrite } from '../../api/useSettingsWrites';
import { useWriteAccess } from '../../api/writeAccess';
import { WriteStatus } from '../writes/WriteStatus';
import { checkDraft, draftOf, listWords, settingWords, type DraftField, type VfSettingsDraft } from './vfSettingsDraft';

export interface VfSettingsFormProps {
  hostId: string;
  vf: string;
  index: number;
  /** what the PF's driver reports now (the topology's config). */
  config: VfConfig;
  /** why the VF cannot change right now (an operation runs on it or its PF), or null. */
  busy: string | null;
  /** the PF gives its VFs stable MACs (its desired state says so). */
  stableMacs: boolean;
  /** what vfmap keeps of this VF for boot; null when nothing. */
  desired: DesiredVf | null;
  /** where this VF's live settings differ from what is kept ("vlan": kept 100, live 0). */
  differences?: readonly PersistenceDifference[];
  /** nothing brings the PF's VFs back at boot. */
  lostAtReboot?: boolean;
  /** the running VM that holds the VF, by name; null when none runs with it. */
  runningVm?: string | null;
}

/**
 * A VF's settings, editable in place: each input starts at what the driver reports, a field that
 * the driver does not report says so, and Apply sends only what differs — checked first with the
 * model's own schema, so a value the agent would refuse is explained here and never sent. What
 * the driver itself refuses comes back naming the setting, with those applied before it.
 */
export function VfSettingsForm(props: VfSettingsFormProps) {
  // A new reading from the driver (after a write, or a change behind vfmap's back) starts the form again.
  return <Form key={JSON.stringify(props.config)} {...props} />;
}

function Form(props: VfSettingsFormProps) {
  const { hostId, vf, index, config, busy, stableMacs, desired, differences = [], lostAtReboot = false, runningVm = null } = props;
  const access = useWriteAccess();
  const write = useVfConfigWrite(hostId, vf);
  const [draft, setDraft] = useState<VfSettingsDraft>(() => draftOf(config));
  const check = checkDraft(config, draft);
  const hasErrors = Object.keys(check.errors).length > 0 || check.formError !== null;
  const waitReason = access.readOnly || write.pending ? null : busy;
  const disabled = access.readOnly !== null || write.pending || busy !== null;
  const set = <K extends DraftField>(field: K, value: VfSettingsDraft[K]) => setDraft((d) => ({ ...d, [field]: value }));
  const apply = () => {
    if (!disabled && !hasErrors && check.count > 0) void write.run(check.change);
  };
  const changed = new Set(Object.keys(check.change));

  return (
    <form
      className="write-box vf-settings-form"
      aria-label={`Settings of VF ${index}`}
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        apply();
      }}
    >
      <Row label="MAC" field="mac" inputId={`${vf}-mac`} error={check.errors.mac} changed={changed.has('mac')}>
        <input
          id={`${vf}-mac`}
          className="mono"
          spellCheck={false}
          autoComplete="off"
          placeholder={config.mac === null ? 'none set' : undefined}
          value={draft.mac}
          disabled={disabled}
          aria-invalid={check.errors.mac !== undefined}
          onChange={(e) => set('mac', e.target.value)}
        />
      </Row>
      {runningVm && changed.has('mac') ? (
        <p className="hint pending-text">{runningVm} runs with this VF: its guest sees the new MAC once its VF driver resets (some PF drivers reset the VF at once, others need the driver reloaded in the guest).</p>
      ) : null}
      {stableMacs ? (
        <p className="hint muted stable-mac-hint">
          Stable MACs are on for this PF: vfmap gives this VF the same MAC, derived from this host, the PF and the VF&apos;s index, at every reboot and
          count change.
        </p>
      ) : null}
      <Row label="VLAN" field="vlan" inputId={`${vf}-vlan`} error={check.errors.vlan ?? check.errors.qos ?? check.errors.vlanProtocol} changed={changed.has('vlan') && draft.vlan.trim() !== String(config.vlan)}>
        <input
          id={`${vf}-vlan`}
          type="number"
          inputMode="numeric"
          min={0}
          max={4095}
          className="narrow"
          value={draft.vlan}
          disabled={disabled}
          aria-invalid={check.errors.vlan !== undefined}
          onChange={(e) => set('vlan', e.target.value)}
        />
        <span className="muted">0 is none</span>
      </Row>
      <Row label="Priority" field="qos" inputId={`${vf}-qos`} error={undefined} changed={changed.has('vlan') && draft.qos !== String(config.qos)}>
        <select id={`${vf}-qos`} aria-label="VLAN priority (QoS)" value={draft.qos} disabled={disabled} onChange={(e) => set('qos', e.target.value)}>
          {[0, 1, 2, 3, 4, 5, 6, 7].map((q) => (
            <option key={q} value={String(q)}>
              {q}
            </option>
          ))}
        </select>
        <select aria-label="VLAN protocol" value={draft.vlanProtocol} disabled={disabled} onChange={(e) => set('vlanProtocol', e.target.value as VlanProtocol)}>
          <option value="802.1Q">802.1Q</option>
          <option value="802.1ad">802.1ad (QinQ)</option>
        </select>
      </Row>
      <Row label="Spoof check" field="spoofChk" error={undefined} changed={changed.has('spoofChk')}>
        <Switch label="Spoof check" value={draft.spoofChk} disabled={disabled} onChange={(v) => set('spoofChk', v)} hint="drops frames not from the VF's MAC" />
      </Row>
      <Row label="Trust" field="trust" error={undefined} changed={changed.has('trust')}>
        <Switch label="Trust" value={draft.trust} disabled={disabled} onChange={(v) => set('trust', v)} hint="may change its MAC, go promiscuous" />
      </Row>
      <Row label="Link state" field="linkState" inputId={`${vf}-linkState`} error={undefined} changed={changed.has('linkState')}>
        <select
          id={`${vf}-linkState`}
          value={draft.linkState ?? ''}
          disabled={disabled}
          onChange={(e) => set('linkState', e.target.value === '' ? null : (e.target.value as VfLinkState))}
        >
          {draft.linkState === null ? <option value="">not reported</option> : null}
          <option value="auto">auto (follow the PF)</option>
          <option value="enable">enable (always up)</option>
          <option value="disable">disable (always down)</option>
        </select>
      </Row>
      <Row label="Max TX rate" field="maxTxRateMbps" inputId={`${vf}-maxTxRateMbps`} error={check.errors.maxTxRateMbps} changed={changed.has('maxTxRateMbps')}>
        <input
          id={`${vf}-maxTxRateMbps`}
          type="number"
          inputMode="numeric"
          min={0}
          className="narrow"
          placeholder={config.maxTxRateMbps === null ? 'not reported' : undefined}
          value={draft.maxTxRateMbps}
          disabled={disabled}
          aria-invalid={check.errors.maxTxRateMbps !== undefined}
          onChange={(e) => set('maxTxRateMbps', e.target.value)}
        />
        <span className="muted">Mbit/s · 0: no limit</span>
      </Row>
      <Row label="Min TX rate" field="minTxRateMbps" inputId={`${vf}-minTxRateMbps`} error={check.errors.minTxRateMbps} changed={changed.has('minTxRateMbps')}>
        <input
          id={`${vf}-minTxRateMbps`}
          type="number"
          inputMode="numeric"
          min={0}
          className="narrow"
          placeholder={config.minTxRateMbps === null ? 'not reported' : undefined}
          value={draft.minTxRateMbps}
          disabled={disabled}
          aria-invalid={check.errors.minTxRateMbps !== undefined}
          onChange={(e) => set('minTxRateMbps', e.target.value)}
        />
        <span className="muted">Mbit/s · 0: none</span>
      </Row>
      <p className="muted query-rss">
        Query RSS: {config.queryRss === null ? 'not reported' : config.queryRss ? 'on' : 'off'} <span className="muted">(read only)</span>
      </p>
      {check.formError ? <p className="field-error">{check.formError}</p> : null}
      <KeptForBoot desired={desired} differences={differences} lostAtReboot={lostAtReboot} />
      <div className="form-actions">
        <button type="submit" className="primary" disabled={disabled || hasErrors || check.count === 0}>
          {check.count === 0 ? 'Apply' : `Apply ${check.count === 1 ? '1 change' : `${check.count} changes`}`}
        </button>
        <button type="button" disabled={check.count === 0 && !hasErrors} onClick={() => setDraft(draftOf(config))}>
          Reset
        </button>
        {check.count > 0 ? <span className="muted">Changes {listWords(settingNames(check.change))}.</span> : null}
      </div>
      {waitReason ? <p className="muted wait-reason">{waitReason}</p> : null}
      <WriteStatus state={write.last} waiting={`Setting ${listWords(settingNames(write.last?.request ?? {}))} of VF ${index}…`} />
    </form>
  );
}

function settingNames(change: object): string[] {
  return Object.keys(change)
    .filter((k) => k !== 'qos' && k !== 'vlanProtocol')
    .map(settingWords);
}

function Row(props: { label: string; field: DraftField; inputId?: string; error: string | undefined; changed: boolean; children: ReactNode }) {
  const { label, field, inputId, error, changed, children } = props;
  return (
    <div className={`settings-row${changed ? ' changed' : ''}`} data-setting={field}>
      <span className="settings-label">
        {inputId ? <label htmlFor={inputId}>{label}</label> : label}
        {changed ? <span className="changed-mark" title="changed, not applied yet" /> : null}
      </span>
      <div className="settings-control">{children}</div>
      {error ? (
        <p className="field-error" role="alert" data-error-for={field}>
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A yes/no setting; a driver that does not report it leaves it unticked with "not reported" beside. */
function Switch({ label, value, disabled, onChange, hint }: { label: string; value: boolean | null; disabled: boolean; onChange: (v: boolean) => void; hint: string }) {
  return (
    <label className="inline">
      <input type="checkbox" aria-label={label} checked={value === true} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />{' '}
      {value === null ? <span className="muted">not reported</span> : <span>{value ? 'on' : 'off'}</span>} <span className="muted hint">— {hint}</span>
    </label>
  );
}

/**
 * What vfmap puts back at boot for this VF, in one line, each difference from live in one more,
 * and "lost at reboot" where nothing keeps it; the PF's "Kept across reboots" says how.
 */
function KeptForBoot({ desired, differences, lostAtReboot }: { desired: DesiredVf | null; differences: readonly PersistenceDifference[]; lostAtReboot: boolean }) {
  const kept = Object.entries(desired?.settings ?? {}).map(([k, v]) => `${settingWords(k)} ${String(v)}`);
  if (desired?.driver) kept.push(`driver ${desired.driver}`);
  return (
    <>
      {kept.length > 0 ? <p className="muted kept-for-boot">Kept for boot: {kept.join(', ')}.</p> : null}
      {differences.map((d) => (
        <p key={d.what} className="warn-text kept-for-boot" data-vf-difference={d.what}>
          Differs from what is kept: {settingWords(d.what)} is {d.live} live, kept as {d.desired}.
        </p>
      ))}
      {lostAtReboot ? (
        <p className="kept-for-boot">
          <span className="tag lost-tag">lost at reboot</span> nothing keeps this PF&apos;s VFs at boot: see its &quot;Kept across reboots&quot;.
        </p>
      ) : null}
    </>
  );
}
