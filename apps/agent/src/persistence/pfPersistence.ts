import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { DesiredPfState, HostPersistence, PersistenceOwner, Pf, PfPersistence, Topology } from '@vfmap/model';
import type { DesiredSriov, PersistencePlan } from './linkPlan';
import { planPersistence, type PersistenceAdvice } from './planPersistence';
import { persistenceDifferences } from './persistenceDifferences';
import type { OwnerFinding } from './scanOwners';

/** The unit that sets the kept counts at boot where a `.link` file cannot (docs/operations.md). */
export const APPLY_DESIRED_UNIT = 'vfmap-apply-desired.service';
const UNIT_DIR = '/etc/systemd/system';

export interface PersistenceContext {
  /** The host's `/` (a simulated host's tree). */
  root: string;
  /** The host's systemd version (persistence/systemdVersion.ts), asked once. */
  systemdVersion: () => Promise<number | null>;
}

/** The planner's input for a desired state; nothing kept plans for count 0, which finds vfmap's own files to remove. */
export function desiredSriovOf(desired: DesiredPfState | null): DesiredSriov {
  if (desired === null) return { count: 0, vfs: [] };
  return { count: desired.count, vfs: desired.vfs.map((v) => ({ vf: v.index, ...v.settings })) };
}

/** What neither a `.link` file nor `vfmap apply-desired` keeps at boot today: VF drivers and drivers_autoprobe. */
function notKeptAnywhere(desired: DesiredPfState): string[] {
  const out: string[] = [];
  const onVfio = desired.vfs.filter((v) => v.index < desired.count && v.driver === 'vfio-pci').map((v) => v.index);
  if (onVfio.length > 0) out.push(`VF ${onVfio.join(', ')}: the vfio-pci binding (set it again with re-apply after a boot)`);
  if (desired.driversAutoprobe !== null) out.push(`sriov_drivers_autoprobe ${desired.driversAutoprobe ? 'on' : 'off'} (set it again with re-apply after a boot)`);
  return out;
}

async function readOrNull(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return null;
  }
}

/** Whether the apply-desired unit is enabled: a link to it in one of /etc/systemd/system's *.wants/ directories. */
async function applyDesiredEnabled(root: string): Promise<boolean> {
  let names: string[];
  try {
    names = await readdir(join(root, UNIT_DIR));
  } catch {
    return false;
  }
  for (const dir of names.filter((n) => n.endsWith('.wants'))) {
    if ((await readOrNull(join(root, UNIT_DIR, dir, APPLY_DESIRED_UNIT))) !== null) return true;
    const inside = await readdir(join(root, UNIT_DIR, dir)).catch(() => [] as string[]);
    if (inside.includes(APPLY_DESIRED_UNIT)) return true;
  }
  return false;
}

/**
 * A file's settings without its comments: vfmap's header names the interface, which udev renames
 * at boot (eth1 → enp4s0 by 99-default.link's NamePolicy), and a comment keeps nothing.
 */
export function settingsOf(text: string): string {
  return text
    .split('\n')
    .filter((line) => !/^\s*[#;]/.test(line))
    .join('\n');
}

/**
 * Whether vfmap's file for the plan is on disk with what the plan would write now — the same
 * settings; its comments may name the interface by an older name (POST …/persist rewrites them).
 */
export async function planWritten(root: string, plan: PersistencePlan): Promise<boolean> {
  if (plan.kind === 'link-drop-in' || plan.kind === 'link-file') {
    const text = await readOrNull(join(root, plan.write.path));
    return text !== null && settingsOf(text) === settingsOf(plan.write.content);
  }
  if (plan.kind === 'nothing') return plan.remove.length === 0;
  return applyDesiredEnabled(root);
}

function ownerOf(o: OwnerFinding): PersistenceOwner {
  return { kind: o.kind, path: o.path, line: o.line, text: o.text, sets: o.sets, competes: o.competes === 'yes' ? 'yes' : 'maybe', note: o.note };
}

function where(o: OwnerFinding): string {
  return `${o.path}${o.line === null ? '' : `:${o.line}`}`;
}

function keptBy(plan: PersistencePlan, desired: DesiredPfState | null, written: boolean): PfPersistence['keptBy'] {
  const extra = desired ? notKeptAnywhere(desired) : [];
  switch (plan.kind) {
    case 'link-drop-in':
    case 'link-file':
      return {
        mechanism: plan.kind,
        path: plan.write.path,
        written,
        initramfs: plan.initramfs.update,
        notKept: [...plan.notKept, ...extra],
        note: `${plan.why}. ${written ? 'Written.' : 'Not written yet: POST …/persist writes it.'} Initramfs: ${plan.initramfs.why}. Undo: ${plan.undo.join(' ')}`,
      };
    case 'apply-desired':
      return {
        mechanism: 'apply-desired',
        path: `${UNIT_DIR}/${APPLY_DESIRED_UNIT}`,
        written,
        initramfs: false,
        notKept: [...plan.notKept, ...extra],
        note: `${plan.why}: the ${APPLY_DESIRED_UNIT} unit sets the count kept in the state directory at boot. ${written ? 'The unit is enabled.' : 'The unit is not enabled: install it and run systemctl enable vfmap-apply-desired.service (docs/operations.md).'}`,
      };
    case 'nothing':
      return {
        mechanism: 'none',
        path: plan.remove[0] ?? null,
        written,
        initramfs: plan.remove.length > 0 && plan.initramfs.update,
        notKept: extra,
        note:
          desired === null
            ? `vfmap keeps nothing for this PF.${plan.remove.length > 0 ? ` vfmap's file ${plan.remove.join(', ')} still sets its VFs at boot: POST …/persist removes it.` : ''}`
            : `${plan.why}.${plan.remove.length > 0 ? ` vfmap's file ${plan.remove.join(', ')} still sets VFs at boot: POST …/persist removes it.` : ''}`,
      };
  }
}

/**
 * A PF's persistence as the page shows it, from its desired state (null: nothing kept), the PF as
 * read now, the planner's advice and whether the plan's file is on disk as planned.
 */
export function describePfPersistence(pf: Pf, desired: DesiredPfState | null, advice: PersistenceAdvice, written: boolean, extraWarnings: string[] = []): PfPersistence {
  const differences = desired ? persistenceDifferences(desired, pf) : [];
  const kept = keptBy(advice.plan, desired, written);
  const warnings = [...extraWarnings, ...advice.plan.warnings];
  const competing = advice.owners.filter((o) => o.competes === 'yes');
  if (desired !== null) {
    for (const o of competing) warnings.push(`${where(o)} (${o.kind}) also sets ${o.sets === 'vf-settings' ? "this PF's VF settings" : "this PF's VF count"} at boot, and so does vfmap: the one that runs last wins. Keep one of them.`);
    for (const o of advice.owners.filter((x) => x.competes === 'maybe')) warnings.push(`${where(o)} (${o.kind}) may set this PF's VFs too (it does not say which PF).`);
  } else if (competing.length > 1) {
    warnings.push(`${competing.map(where).join(' and ')} all set this PF's VFs at boot: the one that runs last wins.`);
  }
  let lostAtReboot: boolean;
  if (desired === null) {
    lostAtReboot = pf.numVfs > 0 && !competing.some((o) => o.sets !== 'vf-settings') && advice.plan.kind === 'nothing' && advice.plan.remove.length === 0;
  } else {
    lostAtReboot = !written || kept.notKept.length > 0 || differences.length > 0;
  }
  return {
    pf: pf.address,
    interface: pf.netdevs[0]?.name ?? null,
    desired,
    matches: desired === null ? null : differences.length === 0,
    differences,
    keptBy: kept,
    lostAtReboot,
    owners: advice.owners.map(ownerOf),
    warnings,
  };
}

/** One PF: its desired state (null when kept for another card, which is said), the plan, the check of the file. */
export async function readPfPersistence(ctx: PersistenceContext, pf: Pf, kept: DesiredPfState | undefined): Promise<PfPersistence> {
  const sameCard = kept !== undefined && kept.vendorId === pf.vendorId && kept.deviceId === pf.deviceId;
  const desired = sameCard ? kept : null;
  const warnings =
    kept !== undefined && !sameCard ? [`The desired state kept for ${pf.address} is for a ${kept.vendorId}:${kept.deviceId}, and this is a ${pf.vendorId}:${pf.deviceId}: it is not applied to this card.`] : [];
  const advice = await planPersistence({ root: ctx.root, address: pf.address, desired: desiredSriovOf(desired), systemdVersion: await ctx.systemdVersion() });
  return describePfPersistence(pf, desired, advice, await planWritten(ctx.root, advice.plan), warnings);
}

/** GET …/persistence: every SR-IOV PF of the host. */
export async function readHostPersistence(ctx: PersistenceContext, host: string, topology: Topology, desiredAll: Record<string, DesiredPfState>): Promise<HostPersistence> {
  const pfs: PfPersistence[] = [];
  for (const pf of topology.pfs) pfs.push(await readPfPersistence(ctx, pf, desiredAll[pf.address]));
  return { host, pfs };
}
