import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { driverCatalog } from './driverCatalog';
import type { BarKind } from './hostProfile';
import type { KernelState, NetdevState, PfState } from './kernelState';
import { BAR_FLAGS } from './resources';
import type { SimPaths } from './simPaths';
import { parseCpulist } from './sysfsText';

const readTrim = (path: string): string | null => {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
};

const KIND_OF_FLAGS = new Map<number, BarKind>(Object.entries(BAR_FLAGS).map(([kind, flags]) => [flags, kind as BarKind]));

/**
 * The kernel's notes for a tree nobody generated — a snapshot of a real host, say — worked out
 * from the tree itself: the loaded drivers are sys/bus/pci/drivers, each PF's VFs will look like
 * the PF (its subsystem ids, revision, link) with BARs cut from its SR-IOV regions, and new VF
 * netdevs take the kernel's ethN names. That lets the simulated kernel run over captured trees.
 */
export function inferKernelState(paths: SimPaths): KernelState {
  const devices = existsSync(paths.busPciDevices) ? readdirSync(paths.busPciDevices) : [];
  const attr = (address: string, name: string) => readTrim(join(paths.busPciDevices, address, name));

  const groups = existsSync(paths.iommuGroups) ? readdirSync(paths.iommuGroups) : [];
  const firstGroup = groups[0];
  const netdevs: Record<string, NetdevState> = {};
  const pfs: Record<string, PfState> = {};
  let maxCpu = 0;
  let maxIfindex = 1;

  for (const address of devices) {
    const cpus = attr(address, 'local_cpulist');
    if (cpus) maxCpu = Math.max(maxCpu, ...parseCpulist(cpus));
    const netDir = join(paths.busPciDevices, address, 'net');
    const isVf = existsSync(join(paths.busPciDevices, address, 'physfn'));
    if (existsSync(netDir) && !isVf) {
      for (const name of readdirSync(netDir)) {
        const n = (f: string) => readTrim(join(netDir, name, f));
        const speed = Number(n('speed'));
        maxIfindex = Math.max(maxIfindex, Number(n('ifindex')) || 0);
        const oper = n('operstate');
        netdevs[address] = {
          name,
          mac: n('address') ?? '00:00:00:00:00:00',
          operState: oper === 'up' || oper === 'down' || oper === 'lowerlayerdown' ? oper : 'unknown',
          speedMbps: Number.isInteger(speed) && speed > 0 ? speed : null,
          queues: 1,
        };
      }
    }
    const total = Number(attr(address, 'sriov_totalvfs'));
    if (!total) continue;
    const resource = (attr(address, 'resource') ?? '').split('\n');
    const vfBars: PfState['vfBars'] = [];
    for (let i = 0; i < 6; i++) {
      const [start, end, flags] = (resource[7 + i] ?? '').split(' ').map((x) => (x ? BigInt(x) : 0n));
      if (!start || !end) continue;
      const size = Number((end - start + 1n) / BigInt(total));
      vfBars.push({ index: i, size, kind: KIND_OF_FLAGS.get(Number(flags)) ?? 'mem64pref' });
    }
    const maxSpeed = attr(address, 'max_link_speed');
    pfs[address] = {
      vfSubsystemVendor: Number.parseInt(attr(address, 'subsystem_vendor') ?? '0', 16),
      vfSubsystemDevice: Number.parseInt(attr(address, 'subsystem_device') ?? '0', 16),
      vfRevision: Number.parseInt(attr(address, 'revision') ?? '0', 16),
      vfBars,
      vfLink: maxSpeed
        ? {
            maxSpeed,
            maxWidth: Number(attr(address, 'max_link_width')),
            speed: attr(address, 'current_link_speed') ?? maxSpeed,
            width: Number(attr(address, 'current_link_width')),
          }
        : null,
      vfAer: existsSync(join(paths.busPciDevices, address, 'aer_dev_correctable')),
      vfNetdevName: null,
      vfNetdevOperState: 'down',
      vfSpeedMbps: null,
      vfMacSeed: address,
      vfMsixVectors: 3,
      vfsInPfGroup: false,
    };
  }

  const loaded = existsSync(paths.busPciDrivers) ? readdirSync(paths.busPciDrivers) : [];
  return {
    version: 1,
    nrCpus: maxCpu + 1,
    iommu: {
      enabled: groups.length > 0,
      groupType: (firstGroup && readTrim(join(paths.iommuGroups, firstGroup, 'type'))) || 'DMA-FQ',
      reservedRegions: `${(firstGroup && readTrim(join(paths.iommuGroups, firstGroup, 'reserved_regions'))) || '0x00000000fee00000 0x00000000feefffff msi'}\n`,
    },
    drivers: [...driverCatalog.keys()].filter((d) => loaded.includes(d)),
    netdevs,
    pfs,
    nextIrq: 100,
    nextIfindex: maxIfindex + 1,
    shareWritableInodes: false,
  };
}
