import { PCI_ADDRESS_RE, PCI_SLOT_RE } from '@vfmap/model';

/**
 * Turns a Proxmox PCI id into the form sysfs uses. Proxmox accepts `bus:dev.func`
 * (qemu-server's PCIRE makes the domain optional; lspci then fills in `0000`), and an id
 * without `.func` means the whole device, every function of the slot. So:
 * `01:00.0` → `0000:01:00.0`, `0000:01:00` → the slot `0000:01:00`.
 * Returns null for anything else. Upper case is accepted and lowered (lenient read).
 */
export function normalizePvePciId(id: string): string | null {
  const lower = id.trim().toLowerCase();
  const withDomain = /^[0-9a-f]{4,}:/.test(lower) && lower.split(':').length === 3 ? lower : `0000:${lower}`;
  if (PCI_ADDRESS_RE.test(withDomain) || PCI_SLOT_RE.test(withDomain)) return withDomain;
  return null;
}
