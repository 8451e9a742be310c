import { VfConfigChange, type VfConfig, type VfLinkState, type VlanProtocol } from '@vfmap/model';

/**
 * The VF settings form as values: what the inputs hold (text for the numbers and the MAC, so a
 * half-typed value is kept as typed), the change it makes against what the driver reports (only
 * the settings that differ), and the messages that keep it from being sent — the model's own
 * (VfConfigChange.safeParse), so the page refuses exactly what the agent would.
 */
export interface VfSettingsDraft {
  mac: string;
  vlan: string;
  qos: string;
  vlanProtocol: VlanProtocol;
  spoofChk: boolean | null;
  trust: boolean | null;
  linkState: VfLinkState | null;
  maxTxRateMbps: string;
  minTxRateMbps: string;
}

export type DraftField = keyof VfSettingsDraft;

export function draftOf(config: VfConfig): VfSettingsDraft {
  return {
    mac: config.mac ?? '',
    vlan: String(config.vlan),
    qos: String(config.qos),
    vlanProtocol: config.vlanProtocol,
    spoofChk: config.spoofChk,
    trust: config.trust,
    linkState: config.linkState,
    maxTxRateMbps: config.maxTxRateMbps === null ? '' : String(config.maxTxRateMbps),
    minTxRateMbps: config.minTxRateMbps === null ? '' : String(config.minTxRateMbps),
  };
}

export interface DraftCheck {
  /** the settings that differ from what the driver reports, as the agent takes them. */
  change: VfConfigChange;
  /** how many settings the change sets (a VLAN with its priority and protocol is one). */
  count: number;
  /** a message per field that keeps the change from being sent. */
  errors: Partial<Record<DraftField, string>>;
  /** a message about the change as a whole, from the schema. */
  formError: string | null;
}

const WHOLE = /^\d+$/;

/** A whole number as typed, or the message for it; '' is "not set" (undefined). */
function wholeNumber(text: string, what: string): number | string | undefined {
  const t = text.trim();
  if (t === '') return undefined;
  if (!WHOLE.test(t)) return `${what} is a whole number, 0 or more.`;
  return Number(t);
}

export function checkDraft(config: VfConfig, draft: VfSettingsDraft): DraftCheck {
  const errors: Partial<Record<DraftField, string>> = {};
  const change: Record<string, unknown> = {};

  const mac = draft.mac.trim().toLowerCase();
  if (mac !== (config.mac ?? '')) {
    if (mac === '') errors.mac = 'A VF\'s MAC cannot be cleared here; give another unicast MAC.';
    else change.mac = mac;
  }

  const vlan = wholeNumber(draft.vlan, 'The VLAN');
  const qos = wholeNumber(draft.qos, 'The priority');
  if (typeof vlan === 'string') errors.vlan = vlan;
  else if (vlan === undefined) errors.vlan = 'Give a VLAN, 0 for none.';
  if (typeof qos === 'string') errors.qos = qos;
  const qosValue = typeof qos === 'number' ? qos : 0;
  // ip link set … vf N vlan V qos Q proto P sets the three together: any of them changed sends all three.
  if (typeof vlan === 'number' && typeof qos !== 'string' && (vlan !== config.vlan || qosValue !== config.qos || draft.vlanProtocol !== config.vlanProtocol)) {
    change.vlan = vlan;
    change.qos = qosValue;
    change.vlanProtocol = draft.vlanProtocol;
  }

  if (draft.spoofChk !== null && draft.spoofChk !== config.spoofChk) change.spoofChk = draft.spoofChk;
  if (draft.trust !== null && draft.trust !== config.trust) change.trust = draft.trust;
  if (draft.linkState !== null && draft.linkState !== config.linkState) change.linkState = draft.linkState;

  const maxTx = wholeNumber(draft.maxTxRateMbps, 'The max TX rate');
  const minTx = wholeNumber(draft.minTxRateMbps, 'The min TX rate');
  if (typeof maxTx === 'string') errors.maxTxRateMbps = maxTx;
  else if (maxTx !== undefined && maxTx !== config.maxTxRateMbps) change.maxTxRateMbps = maxTx;
  if (typeof minTx === 'string') errors.minTxRateMbps = minTx;
  else if (minTx !== undefined && minTx !== config.minTxRateMbps) change.minTxRateMbps = minTx;
  // The schema compares the two only when both are sent; the driver compares the new one with the one it keeps.
  const maxNow = typeof maxTx === 'number' ? maxTx : config.maxTxRateMbps;
  if (typeof minTx === 'number' && change.minTxRateMbps !== undefined && maxNow !== null && maxNow !== 0 && minTx > maxNow && !errors.minTxRateMbps) {
    errors.minTxRateMbps = `The min TX rate cannot exceed the max TX rate (${maxNow} Mbit/s).`;
  }

  let formError: string | null = null;
  const count = Object.keys(change).filter((k) => k !== 'qos' && k !== 'vlanProtocol').length;
  if (count > 0) {
    const parsed = VfConfigChange.safeParse(change);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = fieldOf(issue.path[0]);
        if (field === null) formError ??= sentence(issue.message);
        else if (!errors[field]) errors[field] = messageOf(field, issue);
      }
    }
  }
  return { change: change as VfConfigChange, count, errors, formError };
}

function fieldOf(key: PropertyKey | undefined): DraftField | null {
  switch (key) {
    case 'mac':
    case 'vlan':
    case 'qos':
    case 'vlanProtocol':
    case 'spoofChk':
    case 'trust':
    case 'linkState':
    case 'maxTxRateMbps':
    case 'minTxRateMbps':
      return key;
    default:
      return null;
  }
}

const LABELS: Record<DraftField, string> = {
  mac: 'The MAC',
  vlan: 'The VLAN',
  qos: 'The priority',
  vlanProtocol: 'The VLAN protocol',
  spoofChk: 'Spoof check',
  trust: 'Trust',
  linkState: 'The link state',
  maxTxRateMbps: 'The max TX rate',
  minTxRateMbps: 'The min TX rate',
};

/** A range the schema sets, said with the field's name ("The VLAN is at most 4095."); the schema's own words otherwise. */
function messageOf(field: DraftField, issue: { code: string; message: string; maximum?: unknown; minimum?: unknown }): string {
  if (issue.code === 'too_big' && issue.maximum !== undefined) return `${LABELS[field]} is at most ${String(issue.maximum)}.`;
  if (issue.code === 'too_small' && issue.minimum !== undefined) return `${LABELS[field]} is at least ${String(issue.minimum)}.`;
  return sentence(issue.message);
}

/** The schema's messages start lower case ("a VF's MAC must be unicast…"); a field message is a sentence. */
function sentence(message: string): string {
  const m = message.charAt(0).toUpperCase() + message.slice(1);
  return /[.!?]$/.test(m) ? m : `${m}.`;
}

/** The words for a setting the agent names (VfSettingName), as a problem or a result says it. */
export const SETTING_WORDS: Record<string, string> = {
  mac: 'MAC',
  vlan: 'VLAN',
  qos: 'VLAN priority',
  vlanProtocol: 'VLAN protocol',
  spoofChk: 'spoof check',
  trust: 'trust',
  linkState: 'link state',
  maxTxRateMbps: 'max TX rate',
  minTxRateMbps: 'min TX rate',
};

export function settingWords(name: string): string {
  return SETTING_WORDS[name] ?? name;
}

/** "MAC", "MAC and VLAN", "MAC, VLAN and trust". */
export function listWords(words: readonly string[]): string {
  if (words.length <= 1) return words.join('');
  return `${words.slice(0, -1).join(', ')} and ${words.at(-1)}`;
}
