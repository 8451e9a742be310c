import { vfAddressOf, vfSettingsOf, type Pf, type Topology, type Vf, type VfConfig, type VfConfigChange } from '@vfmap/model';
import { sysfsPaths } from '@vfmap/sysfs';
import { MemoryDesiredStore } from '../desired/memoryDesiredStore';
import type { PrivilegedSteps } from '../helper/helperSteps';
import { HungWrites } from '../operations/hungWrites';
import type { OperationRecord } from '../operations/operationRun';
import type { PfStepDeps } from '../operations/pfSteps';
import type { TopologySnapshot } from '../topologyService';
import { handPf } from './handTopology';

/**
 * Test support for the multi-step PF operations (prepare, re-apply, stable MACs): one PF whose
 * state the privileged steps change as the kernel would (a count write re-creates the VFs with
 * their settings reset; a VF's settings and driver change), every call recorded in order, and a
 * step made to fail on demand. Not a kernel: the API tests over the simulated host pin that.
 */
export const FAKE_PF = '0000:3b:00.0';

const NO_CONFIG: VfConfig = { mac: null, vlan: 0, qos: 0, vlanProtocol: '802.1Q', spoofChk: true, trust: false, linkState: 'auto', maxTxRateMbps: 0, minTxRateMbps: 0, queryRss: false };

export function fakeVf(pf: string, index: number, over: Partial<Vf> = {}): Vf {
  return {
    address: vfAddressOf(pf, 16, 1, index)!,
    index,
    pf,
    vendorId: '8086',
    deviceId: '154c',
    driver: 'iavf',
    driverOverride: null,
    netdevs: [{ name: `ens2f0v${index}`, mac: null, operState: 'up', speedMbps: 10000 }],
    numaNode: 0,
    iommuGroup: 100 + index,
    holder: null,
    config: { ...NO_CONFIG },
    ...over,
  };
}

export function fakePf(numVfs: number, over: Partial<Pf> = {}): Pf {
  const address = over.address ?? FAKE_PF;
  return handPf(address, {
    netdevs: [{ name: 'ens2f0', mac: '3c:fd:fe:00:00:01', operState: 'up', speedMbps: 10000 }],
    numaNode: 0,
    iommuGroup: 25,
    numVfs,
    vfs: Array.from({ length: numVfs }, (_, index) => fakeVf(address, index)),
    ...over,
  });
}

export interface FakeHost {
  pf: Pf;
  /** Every privileged step, in order: "numvfs 4", "vf-config 2 mac=…", "vf-driver 1 vfio-pci", "autoprobe false". */
  calls: string[];
  /** Makes the step whose call starts with this fail (once per call) with `error`. */
  failOn(prefix: string, error: Error): void;
  deps: PfStepDeps & { desired: MemoryDesiredStore };
  record: OperationRecord & { progressed: string[]; acted: boolean };
}

export function fakeHost(pf: Pf, options: { persist?: boolean } = {}): FakeHost {
  const calls: string[] = [];
  const failures: Array<{ prefix: string; error: Error }> = [];
  // The PF as the fake kernel has it now; the steps replace it, the re-reads copy it.
  const state = { pf: structuredClone(pf) };
  const call = (line: string) => {
    calls.push(line);
    const failure = failures.find((f) => line.startsWith(f.prefix));
    if (failure) throw failure.error;
  };
  const withVfs = (vfs: (vf: Vf) => Vf) => {
    state.pf = { ...state.pf, vfs: state.pf.vfs.map(vfs) };
  };
  const steps: Pick<PrivilegedSteps, 'setNumVfs' | 'setVfConfig' | 'setVfDriver' | 'setDriversAutoprobe'> = {
    setNumVfs: async (_pf, count) => {
      call(`numvfs ${count}`);
      state.pf = { ...state.pf, numVfs: count, vfs: Array.from({ length: count }, (_, index) => fakeVf(state.pf.address, index)) };
    },
    setVfConfig: async (_pf, index, change: VfConfigChange) => {
      call(`vf-config ${index} ${Object.entries(change).map(([k, v]) => `${k}=${String(v)}`).join(' ')}`);
      withVfs((vf) => (vf.index === index ? { ...vf, config: { ...(vf.config ?? NO_CONFIG), ...change } } : vf));
      return vfSettingsOf(change);
    },
    setVfDriver: async (vf, driver) => {
      call(`vf-driver ${state.pf.vfs.find((v) => v.address === vf)?.index} ${driver}`);
      withVfs((v) => (v.address === vf ? { ...v, driver: driver ?? 'iavf', driverOverride: driver, netdevs: driver ? [] : v.netdevs } : v));
    },
    setDriversAutoprobe: async (_pf, enabled) => {
      call(`autoprobe ${enabled}`);
      state.pf = { ...state.pf, driversAutoprobe: enabled };
    },
  };
  const snapshot = (): TopologySnapshot => ({ topology: topologyOf(state.pf), etag: '"t"', fingerprint: 'f' });
  const deps: FakeHost['deps'] = {
    topology: { get: async () => snapshot(), scanNow: async () => snapshot() },
    steps,
    hung: new HungWrites(60_000, () => undefined),
    paths: sysfsPaths('/'),
    announce: () => undefined,
    desired: new MemoryDesiredStore(),
    ...(options.persist === false
      ? {}
      : {
          persist: async () => {
            call('persist');
            return 'wrote the .link file';
          },
        }),
  };
  const record: FakeHost['record'] = {
    id: 'op-1',
    before: null,
    after: null,
    progressed: [],
    acted: false,
    acting: async () => {
      record.acted = true;
    },
    progress: (step, of, description) => record.progressed.push(`${step}/${of} ${description}`),
  };
  return {
    get pf() {
      return state.pf;
    },
    set pf(pf: Pf) {
      state.pf = pf;
    },
    calls,
    failOn: (prefix, error) => failures.push({ prefix, error }),
    deps,
    record,
  };
}

function topologyOf(pf: Pf): Topology {
  return {
    host: { id: 'fake', hostname: 'fake', kernel: null, iommu: { enabled: true }, hypervisor: 'none', collectedAt: '2026-12-06T17:00:00Z' },
    cards: [],
    pfs: [structuredClone(pf)],
    devices: [],
    iommuGroups: [],
    vms: [],
    drift: [],
    warnings: [],
  };
}
