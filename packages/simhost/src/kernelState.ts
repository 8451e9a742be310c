import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { z } from 'zod';
import { PciAddress } from '@vfmap/model';
import { inferKernelState } from './inferKernelState';
import { replaceFile } from './replaceFile';
import type { SimPaths } from './simPaths';

const BarSpec = z.object({ index: z.number().int(), size: z.number().int().positive(), kind: z.enum(['mem64pref', 'mem64', 'mem32', 'io']) });
const PcieLink = z.object({ maxSpeed: z.string(), maxWidth: z.number().int(), speed: z.string().optional(), width: z.number().int().optional() });

export const NetdevState = z.object({
  name: z.string(),
  mac: z.string(),
  operState: z.enum(['up', 'down', 'unknown', 'lowerlayerdown']),
  speedMbps: z.number().int().nullable(),
  mtu: z.number().int().optional(),
  physPortName: z.string().optional(),
  devPort: z.number().int().optional(),
  queues: z.number().int().optional(),
});
export type NetdevState = z.infer<typeof NetdevState>;

/** What a new VF of this PF looks like and how its driver names it: none of it is in sysfs before it exists. */
export const PfState = z.object({
  vfSubsystemVendor: z.number().int(),
  vfSubsystemDevice: z.number().int(),
  vfRevision: z.number().int(),
  vfBars: z.array(BarSpec),
  vfLink: PcieLink.nullable(),
  vfAer: z.boolean(),
  /** udev's name for VF n, `{n}` replaced; null: the kernel's next free ethN. */
  vfNetdevName: z.string().nullable(),
  vfNetdevOperState: z.enum(['up', 'down']),
  /** Link speed VF netdevs report while up (the PF's). */
  vfSpeedMbps: z.number().int().nullable(),
  vfMacSeed: z.string(),
  vfMsixVectors: z.number().int(),
  /** New VFs join the PF's IOMMU group (no ACS) instead of taking the lowest free one each. */
  vfsInPfGroup: z.boolean().default(false),
});
export type PfState = z.infer<typeof PfState>;

/**
 * The simulated kernel's notes, kept in ROOT/var/lib/vfmap-sim/kernel.json (never under sys/):
 * the loaded drivers, the IOMMU's settings, the net interfaces functions get when a driver
 * binds them, and per PF what its VFs will look like.
 */
export const KernelState = z.object({
  version: z.literal(1),
  nrCpus: z.number().int().positive(),
  iommu: z.object({ enabled: z.boolean(), groupType: z.string(), reservedRegions: z.string() }),
  /** PCI drivers that are loaded (their names in sys/bus/pci/drivers). */
  drivers: z.array(z.string()),
  /** The netdev a function gets whenever its (netdev) driver binds it. */
  netdevs: z.record(PciAddress, NetdevState),
  pfs: z.record(PciAddress, PfState),
  /** The next interrupt number handed out for an MSI/MSI-X vector (msi_irqs/<irq>). */
  nextIrq: z.number().int(),
  /** VF attributes with a write bit may share inodes too (see writeEntries): the `large` benchmark profile. */
  shareWritableInodes: z.boolean(),
  /** The next ifindex dev_new_index() hands out (it counts up and never reuses one). */
  nextIfindex: z.number().int(),
});
export type KernelState = z.infer<typeof KernelState>;

/** The notes of a generated tree; for a tree without (a captured one), what the tree itself implies. */
export function readKernelState(paths: SimPaths): KernelState {
  if (!existsSync(paths.kernelState)) return inferKernelState(paths);
  return KernelState.parse(JSON.parse(readFileSync(paths.kernelState, 'utf8')));
}

/**
 * Temp file and rename (replaceFile): a process killed while it saves leaves the old notes or the
 * new, never a torn file that every later write would fail to parse. No fsync: the notes stand for
 * the kernel's memory, which a power cut loses anyway.
 */
export function writeKernelState(paths: SimPaths, state: KernelState): void {
  mkdirSync(dirname(paths.kernelState), { recursive: true });
  replaceFile(paths.kernelState, `${JSON.stringify(state, null, 2)}\n`, 0o644, dirname(paths.kernelState));
}
