import { isDeepStrictEqual } from 'node:util';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { Problem, problemTypeSchemas, problemVariants, type Pf, type RefusalReason } from '@vfmap/model';
import { SysfsError } from '@vfmap/sysfs';
import { HypervisorError, type HypervisorErrorCode, type HypervisorErrorDetails } from '@vfmap/hypervisors';
import { AuthFailuresError, EventStreamsFullError, BadRequestError, MisdirectedError, NoKernelError, NotFoundError, PeerError, ReadOnlyError, UnauthorizedError, UnavailableError, UnreadableBodyError, MalformedRequestError } from '../errors';
import { KernelWriteFailed, KernelWriteHung, OperationRefused, PartialNumVfsChange, PreconditionFailed, StepsStopped, VfSettingRefused, type Refusal } from '../operations/errors';
import { VfDriverStepFailed } from '../operations/vfDriverErrors';
import { toProblem } from './problems';

const PF = '0000:18:00.0';
const PATH = `/sys/bus/pci/devices/${PF}/sriov_numvfs`;

/** One refusal of each reason; the type makes a new reason fail to compile until it is here. */
const refusals: { [R in RefusalReason]: Extract<Refusal, { reason: R }> } = {
  'unknown-pf': { reason: 'unknown-pf' },
  'unknown-vf': { reason: 'unknown-vf' },
  'unknown-vm': { reason: 'unknown-vm', vmId: '999' },
  'not-a-pf': { reason: 'not-a-pf', pf: PF },
  'count-out-of-range': { reason: 'count-out-of-range', totalVfs: 16, count: 17 },
  'not-a-vf': { reason: 'not-a-vf' },
  'iommu-group-shared': { reason: 'iommu-group-shared', iommuGroup: 62, members: ['0000:d8:00.0'] },
  'no-iommu-group': { reason: 'no-iommu-group' },
  'vfs-held': {
    reason: 'vfs-held',
    previousCount: 16,
    count: 8,
    vms: [{ vmId: '101', vmName: 'web-01', holds: 'both', vfs: ['0000:18:01.0'], configNamesMissing: [] }],
    vfs: [{ address: '0000:18:01.0', index: 0, vmId: '101', vmName: 'web-01', recreated: true, source: 'both' }],
  },
  'management-path': { reason: 'management-path', interfaces: ['vmbr0', 'ens1f0'] },
  'vf-held': { reason: 'vf-held', holder: { vmId: '101', vmName: 'web-01', via: 'hostpci2', pending: false } },
  'vf-not-held': { reason: 'vf-not-held' },
  'vf-held-by-process': {
    reason: 'vf-held-by-process',
    holder: { vmId: 'pid:5150', vmName: 'pid:5150', via: 'qemu pid 5150', pending: false, pendingChange: null, source: 'running' },
    pid: 5150,
    configuredVmId: null,
  },
  'no-net-interface': { reason: 'no-net-interface', pf: PF },
  'no-vf-settings': { reason: 'no-vf-settings', pf: PF },
  'vf-in-use': { reason: 'vf-in-use', holder: { vmId: '101', vmName: 'web-01', via: 'hostpci2', pending: false }, vmState: 'running' },
  'driver-not-loaded': { reason: 'driver-not-loaded', driver: 'vfio-pci' },
  'no-permanent-mac': { reason: 'no-permanent-mac', pf: PF },
};

/** One hypervisor error of each code, as the adapters raise them. */
const hypervisorErrors: Record<HypervisorErrorCode, HypervisorErrorDetails> = {
  'command-failed': { code: 'command-failed', command: ['virsh', 'attach-device', 'vm1'], exitStatus: 1, stderr: 'error: no passthrough\n' },
  'command-missing': { code: 'command-missing', command: ['qm', 'config', '101'] },
  timeout: { code: 'timeout', command: ['virsh', 'list'], stderr: '' },
  'unknown-vm': { code: 'unknown-vm' },
  'already-assigned': { code: 'already-assigned' },
  'not-assigned': { code: 'not-assigned' },
  'no-free-slot': { code: 'no-free-slot' },
  unsupported: { code: 'unsupported' },
  'bad-state': { code: 'bad-state' },
  'invalid-request': { code: 'invalid-request', command: ['virsh', 'detach-device', 'vm1'] },
};

/** The PF as re-read after a half-done change: the driver gone, no VFs. */
const pfNow: Pf = {
  address: PF,
  vendorId: '8086',
  deviceId: '159b',
  vendorName: 'Intel Corporation',
  deviceName: 'Ethernet Controller E810-XXV for SFP',
  subsystemVendorId: '8086',
  subsystemDeviceId: '0003',
  class: '020000',
  driver: null,
  driverOverride: null,
  netdevs: [],
  numaNode: 0,
  iommuGroup: 40,
  totalVfs: 128,
  numVfs: 0,
  vfDeviceId: '1889',
  offset: 8,
  stride: 1,
  driversAutoprobe: true,
  holder: null,
  vfs: [],
};

/** An error as express.json() (body-parser) makes it. */
const bodyParserError = (type: string, status: number, message: string) => Object.assign(new Error(message), { type, status, expose: true });

/** Every row of the table, as the errors that reach it. */
const errors: Array<[string, unknown]> = [
  ['unknown host', new NotFoundError('No host "nope" here')],
  ['invalid address', new BadRequestError('"x" is not a PF address', [{ path: 'pf', message: 'a PCI address is dddd:bb:dd.f' }])],
  ['invalid body', z.object({ count: z.number() }).safeParse({ count: 'x' }).error],
  ['body not JSON', bodyParserError('entity.parse.failed', 400, 'Unexpected token')],
  ['body too large', bodyParserError('entity.too.large', 413, 'request entity too large')],
  ['body in an unknown charset', bodyParserError('charset.unsupported', 415, 'unsupported charset "LATIN-9"')],
  ['no token', new UnauthorizedError('Changes need the agent\'s write token', 'missing')],
  ['read-only', new ReadOnlyError('This agent runs with --read-only')],
  ['no kernel', new NoKernelError('This agent was started with --kernel none')],
  ['unavailable', new UnavailableError('The host does not answer')],
  ['event streams full', new EventStreamsFullError('256 streams', 'event-streams-full', 256)],
  ['event streams of one address', new EventStreamsFullError('32 streams', 'event-streams-per-address', 32)],
  ['too many failed authentications', new AuthFailuresError('refused for 55 s', 55)],
  ['peer unreachable', new PeerError('Host pve3: ECONNREFUSED; nothing was sent.', 'pve3', false, false)],
  ['peer timeout', new PeerError('Host pve3: no answer within 30000 ms; the request was sent.', 'pve3', true, true)],
  ['misdirected', new MisdirectedError('forwarded again')],
  ['host header', new MisdirectedError('Host evil.example is not a name of this agent', 'host-header')],
  ['a kernel write that hung', new KernelWriteHung('The write of 0 did not return', 504, '/sys/bus/pci/devices/0000:18:00.0/sriov_numvfs', '0000:18:00.0', '0', 60_000)],
  ['a PF whose write still hangs', new KernelWriteHung('A write is still running', 409, '/sys/bus/pci/devices/0000:18:00.0/sriov_numvfs', '0000:18:00.0', '0', 61_000)],
  ['precondition failed', new PreconditionFailed('The host changed', '"abc"', '"pf-def"', '0000:18:00.0')],
  ...Object.values(refusals).map((r): [string, unknown] => [`refused: ${r.reason}`, new OperationRefused(r, `refused: ${r.reason}`)]),
  ...['EBUSY', 'ENOENT', 'ERANGE', 'EINVAL', 'EACCES', 'EROFS', 'EIO'].map((errno): [string, unknown] => [
    `kernel: ${errno}`,
    new KernelWriteFailed(`the kernel said ${errno}`, errno, PATH, PF, '8'),
  ]),
  ['partial, re-read', new PartialNumVfsChange('stopped half-way', 'ENOENT', PATH, PF, 4, 6, 0, pfNow)],
  ['partial, nothing re-read', new PartialNumVfsChange('stopped half-way', null, PATH, PF, 4, 6, null, null)],
  ['steps stopped, refused', new StepsStopped('stopped at the VF driver', PF, ['desired state recorded', 'wrote 4 to sriov_numvfs'], 'bind VF 0 to vfio-pci', 'EBUSY', true, pfNow)],
  ['first step failed', new StepsStopped('could not record', PF, [], 'record the desired state', 'EROFS', false, null)],
  [
    'a VF setting the driver refused',
    new VfSettingRefused('igb cannot set link state; mac, vlan were applied before it', {
      pf: PF,
      interface: 'eth1',
      vfIndex: 0,
      vf: '0000:18:01.0',
      driver: 'igb',
      setting: 'linkState',
      command: ['ip', 'link', 'set', 'dev', 'eth1', 'vf', '0', 'state', 'enable'],
      exitStatus: 2,
      errno: 'EOPNOTSUPP',
      stderr: 'RTNETLINK answers: Operation not supported\n',
      applied: ['mac', 'vlan'],
    }),
  ],
  ['sysfs', new SysfsError('EACCES', PATH, 'permission denied')],
  ['VF driver step refused, undone', new VfDriverStepFailed('could not unbind', '0000:18:01.0', 'vfio-pci', 'unbind 0000:18:01.0 from iavf', 'EBUSY', '/sys/bus/pci/drivers/iavf/unbind', null, { driver: 'iavf', driverOverride: null })],
  ['VF driver not bound after the probe, undone', new VfDriverStepFailed('vfio-pci did not bind', '0000:18:01.0', 'vfio-pci', 'bind it to vfio-pci', null, null, null, { driver: 'iavf', driverOverride: null })],
  ['VF driver step refused, not undone', new VfDriverStepFailed('stopped half-way', '0000:18:01.0', null, 'probe 0000:18:01.0 (drivers_probe)', 'EIO', '/sys/bus/pci/drivers_probe', 'write vfio-pci to driver_override: EIO', { driver: null, driverOverride: null })],
  ...Object.values(hypervisorErrors).map((d): [string, unknown] => [`hypervisor: ${d.code}`, new HypervisorError(`hypervisor said ${d.code}`, d)]),
  ['a body over the limit, declared', new UnreadableBodyError('declares 999999999 bytes', 'too-large')],
  ['a body that is not JSON', new UnreadableBodyError('text/plain', 'not-json')],
  ...(['malformed', 'timeout', 'headers-too-large'] as const).map((reason): [string, unknown] => [`a request Node refused: ${reason}`, new MalformedRequestError(reason, reason)]),
  ['a bug', new TypeError('undefined is not a function')],
];

const problems = errors.map(([what, err]) => ({ what, problem: toProblem(err, '/api/v1/hosts/sim/pfs/0000:18:00.0/numvfs') }));

describe('the problem table', () => {
  it.each(problems)('turns $what into a problem its schema describes exactly', ({ problem }) => {
    // Parsing drops what the schema does not know: an equal result means no field is undescribed.
    expect(Problem.parse(problem)).toEqual(problem);
    expect(problemTypeSchemas[problem.type].parse(problem)).toEqual(problem);
    expect(problem.instance).toBe('/api/v1/hosts/sim/pfs/0000:18:00.0/numvfs');
  });

  it('has a row for every problem variant of the model', () => {
    const unproduced = Object.entries(problemVariants)
      .filter(([, variant]) => !problems.some(({ problem }) => {
        const parsed = variant.safeParse(problem);
        return parsed.success && isDeepStrictEqual(parsed.data, problem);
      }))
      .map(([name]) => name);
    expect(unproduced).toEqual([]);
  });

  it('keeps the status of each kernel errno: the host\'s state 409, the value 422, the agent itself 500', () => {
    const byErrno = Object.fromEntries(problems.filter((p) => p.what.startsWith('kernel: ')).map((p) => [p.what.slice(8), p.problem.status]));
    expect(byErrno).toEqual({ EBUSY: 409, ENOENT: 409, ERANGE: 422, EINVAL: 422, EACCES: 500, EROFS: 409, EIO: 500 });
  });

  it('says where a half-done change stopped, even when the count could not be read back', () => {
    const partial = problems.find((p) => p.what === 'partial, nothing re-read')!.problem;
    expect(partial).toMatchObject({ type: 'urn:vfmap:problem:partial', status: 500, errno: null, stoppedAt: { numVfs: null, wrote: '0', refused: '6' } });
    expect(partial).not.toHaveProperty('pfNow');
  });

  it('sends a bug as an internal problem without its message', () => {
    const bug = problems.find((p) => p.what === 'a bug')!.problem;
    expect(bug).toMatchObject({ type: 'urn:vfmap:problem:internal', status: 500 });
    expect(bug.detail).not.toContain('undefined is not a function');
  });
});
