import type { HostSummary } from '@vfmap/model';

/**
 * Shown when the server knows more than one host (a hub, or an agent with peers): switches
 * straight from one host's graph to another's. On the fleet overview no host is chosen yet.
 */
export function HostPicker({ hosts, value, onChange }: { hosts: readonly HostSummary[]; value: string; onChange: (id: string) => void }) {
  if (hosts.length < 2) return null;
  return (
    <label className="host-picker">
      <span>Host</span>
      <select value={value} onChange={(e) => e.target.value !== '' && onChange(e.target.value)}>
        {value === '' ? (
          <option value="" disabled>
            Open a host…
          </option>
        ) : null}
        {hosts.map((h) => (
          <option key={h.id} value={h.id}>
            {h.hostname}
            {h.hostname !== h.id ? ` (${h.id})` : ''}
            {h.hypervisor ? ` · ${h.hypervisor}` : ''}
            {h.status !== 'ok' ? ` · ${h.status}` : ''}
          </option>
        ))}
      </select>
    </label>
  );
}
