import type { DesiredPfState, DesiredVfSettings, PersistenceDifference, Pf, VfConfig } from '@vfmap/model';

type SettingKey = keyof DesiredVfSettings;

/** The kept settings in the order the page lists them. */
const SETTING_KEYS: readonly SettingKey[] = ['mac', 'vlan', 'qos', 'vlanProtocol', 'spoofChk', 'trust', 'linkState', 'maxTxRateMbps', 'minTxRateMbps'];

function words(value: unknown): string {
  if (value === null || value === undefined) return 'not reported';
  if (typeof value === 'boolean') return value ? 'on' : 'off';
  return String(value);
}

function sameSetting(key: SettingKey, desired: unknown, live: VfConfig): boolean {
  const now = live[key];
  if (key === 'mac') return typeof desired === 'string' && typeof now === 'string' && desired.toLowerCase() === now.toLowerCase();
  return desired === now;
}

/**
 * What differs between a PF's desired state and the PF as read now: the count, each kept VF
 * setting against the VF's config as its driver reports it, each kept driver, drivers_autoprobe.
 * Settings of VFs at or above the live count are not compared (the count differs, which says it).
 * A setting the driver does not report is a difference: vfmap cannot say it holds.
 */
export function persistenceDifferences(desired: DesiredPfState, pf: Pf): PersistenceDifference[] {
  const out: PersistenceDifference[] = [];
  if (desired.count !== pf.numVfs) out.push({ what: 'count', desired: String(desired.count), live: String(pf.numVfs) });
  for (const kept of [...desired.vfs].sort((a, b) => a.index - b.index)) {
    if (kept.index >= desired.count) continue;
    const vf = pf.vfs.find((v) => v.index === kept.index);
    if (!vf) continue;
    for (const key of SETTING_KEYS) {
      const want = kept.settings[key];
      if (want === undefined) continue;
      if (vf.config === null) {
        out.push({ what: `VF ${kept.index} ${key}`, desired: words(want), live: 'not read (the PF has no net interface, or its VF settings could not be read)' });
      } else if (!sameSetting(key, want, vf.config)) {
        out.push({ what: `VF ${kept.index} ${key}`, desired: words(want), live: words(vf.config[key]) });
      }
    }
    const onVfio = vf.driver === 'vfio-pci';
    if (kept.driver === 'vfio-pci' && !onVfio) out.push({ what: `VF ${kept.index} driver`, desired: 'vfio-pci', live: vf.driver ?? 'none' });
    if (kept.driver === null && onVfio) out.push({ what: `VF ${kept.index} driver`, desired: 'the host driver', live: 'vfio-pci' });
  }
  if (desired.driversAutoprobe !== null && desired.driversAutoprobe !== pf.driversAutoprobe) {
    out.push({ what: 'autoprobe', desired: words(desired.driversAutoprobe), live: words(pf.driversAutoprobe) });
  }
  return out;
}
