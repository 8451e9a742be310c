import type { HostProfile } from './hostProfile';
import { busEnd } from './hostProfiles/busEnd';
import { demo } from './hostProfiles/demo';
import { iommuOff } from './hostProfiles/iommuOff';
import { large } from './hostProfiles/large';
import { minimal } from './hostProfiles/minimal';
import { noSriov } from './hostProfiles/noSriov';
import { qemuQ35 } from './hostProfiles/qemuQ35';
import { edgeCases } from './hostProfiles/edgeCases';
import { sriovBlocked } from './hostProfiles/sriovBlocked';
import { drift } from './hostProfiles/drift';

export type { HostProfile } from './hostProfile';

const all = [demo, minimal, noSriov, iommuOff, large, qemuQ35, edgeCases, busEnd, sriovBlocked, drift];

/** Host profiles by name: demo (what `npm start` shows), minimal, no-sriov, iommu-off, large (benchmarks), qemu-q35,
 * edge-cases (what writes refuse), bus-end (VFs that reach bus ff), sriov-blocked (what the checks find),
 * drift (one finding of each kind where VM configs and running QEMUs disagree). */
export const profiles: Record<string, HostProfile> = Object.fromEntries(all.map((p) => [p.name, p]));
export const profileNames: string[] = all.map((p) => p.name);
