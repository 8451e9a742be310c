import type { DesiredPfState, DesiredVf } from '@vfmap/model';

/**
 * The desired state with stable MACs switched: on, each VF below the count keeps its stable MAC;
 * off, the MACs that were the stable ones are dropped (a MAC set on a VF by hand stays).
 */
export function withStableMacs(base: DesiredPfState, enabled: boolean, macs: readonly string[], now: Date): DesiredPfState {
  const vfs = new Map<number, DesiredVf>(base.vfs.map((vf) => [vf.index, structuredClone(vf)]));
  for (let index = 0; index < base.count; index++) {
    const mac = macs[index];
    if (mac === undefined) continue;
    const vf = vfs.get(index) ?? { index, settings: {}, driver: null };
    if (enabled) vf.settings.mac = mac;
    else if (vf.settings.mac === mac) delete vf.settings.mac;
    if (Object.keys(vf.settings).length === 0 && vf.driver === null) vfs.delete(index);
    else vfs.set(index, vf);
  }
  return { ...base, setAt: now.toISOString(), stableMacs: enabled, vfs: [...vfs.values()].sort((a, b) => a.index - b.index) };
}
