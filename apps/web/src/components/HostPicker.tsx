import type { HostSummary } from '@vfmap/model';

/** Shown when the server knows more than one host (a hub); a single agent needs no picker. */
export function HostPicker({ hosts, value, onChange }: { hosts: HostSummary[]; value: string; onChange: (id: string) => void }) {
  if (hosts.length < 2) return null;
  return (
    <label className="host-picker">
      <span>Host</span>
      <select value={value} onChange={(e) => onChange(e.target.value)}>
        {hosts.map((h) => (
          <option key={h.id} value={h.id}>
            {h.hostname}
            {h.hostname !== h.id ? ` (${h.id})` : ''} · {h.hypervisor}
          </option>
        ))}
      </select>
    </label>
  );
}
