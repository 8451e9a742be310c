import { PrepareRequest } from '@vfmap/model';

/** The prepare dialog's inputs as typed. */
export interface PrepareDraft {
  count: string;
  vfio: boolean;
  stableMacs: boolean;
  /** one VLAN for every VF; '' is none. */
  sameVlan: string;
  /** per-VF VLANs, by index, over sameVlan; '' is "as the others". */
  overrides: Record<number, string>;
  force: boolean;
}

export type PrepareBody = Omit<PrepareRequest, 'dryRun'>;

export interface PrepareCheck {
  request: PrepareBody | null;
  errors: { count?: string; sameVlan?: string; overrides: Record<number, string> };
}

const WHOLE = /^\d+$/;

/**
 * The request the dialog would send, or why it cannot: a count the PF supports, VLANs 0–4095 —
 * checked by the model's PrepareRequest as the agent checks it. VLANs are sent only when one is
 * given, one per VF index (null where none is set).
 */
export function checkPrepare(draft: PrepareDraft, totalVfs: number): PrepareCheck {
  const errors: PrepareCheck['errors'] = { overrides: {} };
  const countText = draft.count.trim();
  const count = WHOLE.test(countText) ? Number(countText) : null;
  if (count === null || count < 1) errors.count = 'A whole number, 1 or more.';
  else if (count > totalVfs) errors.count = `At most ${totalVfs} (sriov_totalvfs).`;

  const vlanOf = (text: string): number | null | string => {
    const t = text.trim();
    if (t === '') return null;
    if (!WHOLE.test(t) || Number(t) > 4095) return 'A VLAN is 0 to 4095.';
    return Number(t);
  };
  const same = vlanOf(draft.sameVlan);
  if (typeof same === 'string') errors.sameVlan = same;
  const n = count !== null && errors.count === undefined ? count : 0;
  const vlans: (number | null)[] = [];
  for (let i = 0; i < n; i++) {
    const own = vlanOf(draft.overrides[i] ?? '');
    if (typeof own === 'string') errors.overrides[i] = own;
    vlans.push(typeof own === 'number' ? own : typeof same === 'number' ? same : null);
  }
  if (errors.count !== undefined || errors.sameVlan !== undefined || Object.keys(errors.overrides).length > 0) return { request: null, errors };

  const body: PrepareBody = {
    count: n,
    driver: draft.vfio ? 'vfio-pci' : null,
    stableMacs: draft.stableMacs,
    ...(vlans.some((v) => v !== null) ? { vlans } : {}),
    ...(draft.force ? { force: true } : {}),
  };
  const parsed = PrepareRequest.safeParse(body);
  if (!parsed.success) {
    errors.count = parsed.error.issues.map((i) => i.message).join('; ');
    return { request: null, errors };
  }
  return { request: body, errors };
}
