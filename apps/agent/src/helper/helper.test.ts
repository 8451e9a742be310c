import { spawn } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createConnection } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { HypervisorError } from '@vfmap/hypervisors';
import { HELPER_MAX_CAPABILITY_ADDRESSES, HELPER_MAX_MESSAGE_BYTES, HELPER_MAX_REPLY_BYTES, HelperReply } from '@vfmap/model';
import { generateHost, profiles } from '@vfmap/simhost';
import { SysfsError, sysfsPaths } from '@vfmap/sysfs';
import { itNeeds, root as asRoot } from '../../../../test/needs';
import { createLogger } from '../logger';
import { DEMO, tempDir } from '../testing/simAgent';
import { helperClient, type HelperClient } from './helperClient';
import { HelperRefused } from './helperErrors';
import { listenHelper, type HelperListener } from './helperListener';
import { helperResources, type HelperResources } from './helperResources';
import type { SystemUser } from './systemUser';

// The root helper over a path socket, as `vfmap helper` runs it, acting on a generated demo host's
// tree with the simulated kernel and the simulated hypervisor. Raw lines go in as a hostile HTTP
// side would send them; what comes back, and what the tree shows, is checked.
let tree: string;
let dir: string;
let resources: HelperResources;
let listener: HelperListener;
let socketPath: string;
const self: SystemUser = { name: 'self', uid: process.getuid!(), gid: process.getgid!() };
const logger = createLogger('silent');

beforeAll(async () => {
  tree = tempDir('vfmap-helper-tree-');
  generateHost(tree, profiles.demo!);
  dir = mkdtempSync(join(tmpdir(), 'vfmap-helper-sock-'));
  socketPath = join(dir, 'helper.sock');
  resources = helperResources({ root: tree, kernel: 'simulated', hypervisor: 'simulated', writeWorker: false }, logger);
  listener = await listenHelper({ path: socketPath, user: self, checks: resources.checks, steps: resources.steps, logger });
});
afterAll(async () => {
  await listener.close();
  await resources.close();
  rmSync(tree, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
});

const numVfsOf = (pf: string) => Number(readFileSync(sysfsPaths(tree).pciDeviceFile(pf, 'sriov_numvfs'), 'utf8'));

/** Sends raw lines on one connection and collects `n` replies (or fewer, when the helper closes it). */
async function exchange(lines: string[], n = lines.length, path = socketPath): Promise<{ replies: HelperReply[]; closed: boolean }> {
  const socket = createConnection(path);
  const replies: HelperReply[] = [];
  let buffer = '';
  return new Promise((resolve, reject) => {
    let closed = false;
    const done = () => resolve({ replies, closed });
    socket.on('error', reject);
    socket.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let nl: number;
      while ((nl = buffer.indexOf('\n')) !== -1) {
        replies.push(HelperReply.parse(JSON.parse(buffer.slice(0, nl))));
        buffer = buffer.slice(nl + 1);
      }
      if (replies.length >= n) {
        socket.destroy();
        done();
      }
    });
    socket.on('close', () => {
      closed = true;
      done();
    });
    socket.on('connect', () => socket.write(lines.map((l) => `${l}\n`).join('')));
  });
}

function refusalOf(reply: HelperReply | undefined): string {
  if (!reply || reply.ok || reply.error.type !== 'HelperRefused') throw new Error(`not a refusal: ${JSON.stringify(reply)}`);
  return reply.error.reason;
}

describe('the root helper refuses what it must not run', () => {
  it.each([
    ['a path for an address', { op: 'setNumVfs', pf: '/sys/bus/pci/devices/0000:3b:00.1/sriov_numvfs', count: 1 }, 'bad-address'],
    ['a ../ in the address', { op: 'setNumVfs', pf: '../../../../etc/passwd', count: 1 }, 'bad-address'],
    ['an address with a path after it', { op: 'setNumVfs', pf: '0000:3b:00.1/../../x', count: 1 }, 'bad-address'],
    ['an upper-case address', { op: 'setNumVfs', pf: '0000:3B:00.1', count: 1 }, 'bad-address'],
    ['a nonexistent address', { op: 'setNumVfs', pf: '0000:99:00.0', count: 1 }, 'no-such-device'],
    ['a device that is not a PF', { op: 'setNumVfs', pf: DEMO.nvme, count: 1 }, 'no-such-device'],
    ['a count above sriov_totalvfs', { op: 'setNumVfs', pf: DEMO.x710p1, count: 65 }, 'count-out-of-range'],
    ['a negative count', { op: 'setNumVfs', pf: DEMO.x710p1, count: -1 }, 'invalid-message'],
    ['a fractional count', { op: 'setNumVfs', pf: DEMO.x710p1, count: 1.5 }, 'invalid-message'],
    ['a count as a string', { op: 'setNumVfs', pf: DEMO.x710p1, count: '1' }, 'invalid-message'],
    ['a path given beside the address', { op: 'setNumVfs', pf: DEMO.x710p1, count: 1, path: '/etc/shadow' }, 'invalid-message'],
    ['an unknown op', { op: 'writeFile', path: '/etc/passwd', value: 'x' }, 'unknown-op'],
    ['an op of Object.prototype', { op: 'constructor' }, 'unknown-op'],
    ['a VM id that is an option', { op: 'attach', vmId: '--help', address: '0000:18:01.4' }, 'bad-vm-id'],
    ['a VM id with a slash', { op: 'attach', vmId: '../101', address: '0000:18:01.4' }, 'bad-vm-id'],
    // This helper's hypervisor is the simulated one, whose VMs the HTTP side lists itself.
    ['listVms where no listing needs root', { op: 'listVms' }, 'invalid-message'],
  ])('refuses %s', async (_name, message, reason) => {
    const before = numVfsOf(DEMO.x710p1);
    const { replies } = await exchange([JSON.stringify({ id: 7, ...message })]);
    expect(replies[0]!.id).toBe(7);
    expect(refusalOf(replies[0])).toBe(reason);
    expect(numVfsOf(DEMO.x710p1)).toBe(before);
  });

  it('refuses a line that is not JSON, and keeps serving the connection', async () => {
    const { replies } = await exchange(['{"op":', JSON.stringify({ id: 2, op: 'setNumVfs', pf: DEMO.x710p1, count: 0 })]);
    expect(refusalOf(replies[0])).toBe('not-json');
    expect(replies[1]).toEqual({ id: 2, ok: true, result: null });
  });

  it('refuses an oversize message and closes the connection without reading it whole', async () => {
    const big = JSON.stringify({ id: 3, op: 'setNumVfs', pf: DEMO.x710p1, count: 1, pad: 'x'.repeat(HELPER_MAX_MESSAGE_BYTES) });
    const { replies, closed } = await exchange([big, JSON.stringify({ id: 4, op: 'setNumVfs', pf: DEMO.x710p1, count: 1 })], 2);
    expect(closed).toBe(true);
    expect(replies).toHaveLength(1);
    expect(replies[0]!.id).toBe(0);
    expect(refusalOf(replies[0])).toBe('too-large');
    expect(numVfsOf(DEMO.x710p1)).toBe(0);
  });
});

describe('the root helper runs checked steps, and their errors cross the socket as themselves', () => {
  let client: HelperClient;
  beforeAll(() => {
    client = helperClient({ connect: () => createConnection(socketPath), reconnect: true });
  });
  afterAll(() => client.close());

  it('writes sriov_numvfs for { op: setNumVfs, pf, count }', async () => {
    await client.steps.setNumVfs(DEMO.x710p1, 3);
    expect(numVfsOf(DEMO.x710p1)).toBe(3);
    await client.steps.setNumVfs(DEMO.x710p1, 0);
    expect(numVfsOf(DEMO.x710p1)).toBe(0);
  });

  it("passes the kernel's errno and path back as a SysfsError (N→M is EBUSY)", async () => {
    const err = await client.steps.setNumVfs(DEMO.e810p0, 4).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SysfsError);
    expect(err).toMatchObject({ code: 'EBUSY', path: sysfsPaths(tree).pciDeviceFile(DEMO.e810p0, 'sriov_numvfs') });
    expect(numVfsOf(DEMO.e810p0)).toBe(16);
  });

  it("passes the hypervisor's refusal back as a HypervisorError with its code", async () => {
    const err = await client.steps.attach('no-such-vm', '0000:18:01.4').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HypervisorError);
    expect(err).toMatchObject({ code: 'unknown-vm', command: null, exitStatus: null });
  });

  it('answers a refusal as a HelperRefused with its reason', async () => {
    const err = await client.steps.setNumVfs('0000:99:00.0', 1).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HelperRefused);
    expect(err).toMatchObject({ reason: 'no-such-device' });
  });
});

describe("listVms: Proxmox's VM states, which only root may list (qm list), through the helper", () => {
  // A stand-in for Proxmox's qm (the real one runs only on a Proxmox node), rewritten per test.
  let qmDir: string;
  let qm: string;
  let pve: HelperResources;
  let pveListener: HelperListener;
  let pvePath: string;
  let client: HelperClient;
  const standInQm = (body: string) => {
    writeFileSync(qm, `#!/bin/sh\n# stand-in for Proxmox's qm\n${body}\n`);
    chmodSync(qm, 0o755);
  };
  const QM_LIST = `printf '%10s %-20s %-10s %-10s %12s %-10s\\n' VMID NAME STATUS 'MEM(MB)' 'BOOTDISK(GB)' PID
printf '%10s %-20s %-10s %-10s %12.2f %-10s\\n' 100 web01 running 2048 32 4242 101 'VM 101' stopped 1024 8 0 102 db paused 512 4 4343`;

  beforeAll(async () => {
    qmDir = mkdtempSync(join(tmpdir(), 'vfmap-helper-qm-'));
    qm = join(qmDir, 'qm');
    standInQm(QM_LIST);
    pvePath = join(qmDir, 'helper.sock');
    pve = helperResources({ root: tree, kernel: 'simulated', hypervisor: 'proxmox', qm, writeWorker: false }, logger);
    pveListener = await listenHelper({ path: pvePath, user: self, checks: pve.checks, steps: pve.steps, logger });
    client = helperClient({ connect: () => createConnection(pvePath), reconnect: true });
  });
  afterAll(async () => {
    await client.close();
    await pveListener.close();
    await pve.close();
    rmSync(qmDir, { recursive: true, force: true });
  });

  it('answers { op: listVms } with the states qm list printed', async () => {
    standInQm(QM_LIST);
    expect(await client.steps.listVms()).toEqual(new Map([['100', 'running'], ['101', 'stopped'], ['102', 'paused']]));
  });

  it.each([
    ['listVms with a VM id beside it', { op: 'listVms', vmId: '101' }, 'invalid-message'],
    ['listVms with arguments for qm', { op: 'listVms', args: ['--full'] }, 'invalid-message'],
    ['an op that differs only in case', { op: 'listvms' }, 'unknown-op'],
    ['another listing', { op: 'listDomains' }, 'unknown-op'],
  ])('refuses %s', async (_name, message, reason) => {
    const { replies } = await exchange([JSON.stringify({ id: 9, ...message })], 1, pvePath);
    expect(replies[0]!.id).toBe(9);
    expect(refusalOf(replies[0])).toBe(reason);
  });

  it("passes qm's refusal back as a HypervisorError with its exit status and stderr", async () => {
    standInQm(`echo 'only root can run this command' >&2; exit 255`);
    const err = await client.steps.listVms().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HypervisorError);
    expect(err).toMatchObject({ code: 'command-failed', exitStatus: 255, stderr: expect.stringContaining('only root') });
  });

  it(`never sends a reply over HELPER_MAX_REPLY_BYTES (the HTTP side would drop the connection): it says the answer was too large instead`, async () => {
    // 150,000 VMs with 9-digit ids in short lines: under the 4 MiB of output kept, over 2 MiB as a reply.
    standInQm(`echo 'VMID NAME STATUS MEM(MB) BOOTDISK(GB) PID'; seq 100000000 100149999 | sed 's/$/ v running 1 1 0/'`);
    const err = await client.steps.listVms().catch((e: unknown) => e);
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toContain(`more than the ${HELPER_MAX_REPLY_BYTES}`);
    // The connection is still the same one, and serves the next message.
    standInQm(QM_LIST);
    expect((await client.steps.listVms()).get('100')).toBe('running');
  });
});

describe("the helper's socket admits only the HTTP side's user and root", () => {
  it('is made 0600 and owned by that user', () => {
    const st = statSync(socketPath);
    expect(st.isSocket()).toBe(true);
    expect(st.mode & 0o777).toBe(0o600);
    expect(st.uid).toBe(self.uid);
  });

  const nobody: SystemUser = { name: 'nobody', uid: 65534, gid: 65534 };
  const daemon: SystemUser = { name: 'daemon', uid: 1, gid: 1 };

  /** Connects as `uid` from a child process and prints the first reply line, or the connect error's code (async: the helper runs in this process). */
  async function connectAs(uid: number, path: string): Promise<string> {
    const script = `const s=require('node:net').createConnection(${JSON.stringify(path)});s.on('error',e=>{console.log(e.code);process.exit(0)});s.on('connect',()=>s.write(JSON.stringify({id:1,op:'setNumVfs',pf:'${DEMO.x710p1}',count:2})+'\\n'));s.on('data',d=>{console.log(d.toString().trim());process.exit(0)});setTimeout(()=>{console.log('timeout');process.exit(0)},5000)`;
    const child = spawn(process.execPath, ['-e', script], { uid, gid: uid, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout.on('data', (d: Buffer) => (out += d.toString()));
    await new Promise((resolve) => child.on('exit', resolve));
    return out.trim();
  }

  async function listenerFor(user: SystemUser, mode?: number) {
    const d = mkdtempSync(join(tmpdir(), 'vfmap-helper-peer-'));
    chmodSync(d, 0o755);
    const path = join(d, 'helper.sock');
    const l = await listenHelper({ path, user, checks: resources.checks, steps: resources.steps, logger, ...(mode === undefined ? {} : { mode }) });
    return { path, close: async () => (await l.close(), rmSync(d, { recursive: true, force: true })) };
  }

  itNeeds([asRoot], 'lets the kernel refuse a connect from another uid (socket mode 0600)', async () => {
    const l = await listenerFor(daemon);
    try {
      expect((await connectAs(nobody.uid, l.path))).toBe('EACCES');
    } finally {
      await l.close();
    }
  });

  itNeeds([asRoot], "refuses a peer of another uid even when the socket's mode would let it connect (sock_diag peer check)", async () => {
    const l = await listenerFor(daemon, 0o666);
    try {
      const reply = HelperReply.parse(JSON.parse((await connectAs(nobody.uid, l.path))));
      expect(refusalOf(reply)).toBe('peer-refused');
      expect(!reply.ok && reply.error.message).toContain('uid 65534');
      expect(numVfsOf(DEMO.x710p1)).toBe(0);
    } finally {
      await l.close();
    }
  });

  itNeeds([asRoot], "serves the HTTP side's user", async () => {
    const l = await listenerFor(nobody);
    try {
      expect(JSON.parse((await connectAs(nobody.uid, l.path)))).toEqual({ id: 1, ok: true, result: null });
      expect(numVfsOf(DEMO.x710p1)).toBe(2);
      await resources.steps.setNumVfs(DEMO.x710p1, 0);
    } finally {
      await l.close();
    }
  });
});

describe('runningHolders: what QEMU processes hold, read by the helper (another user\'s /proc/<pid>/fd needs root)', () => {
  it('answers the running and paused VMs of the demo host as facts: pid, VM, vfio-pci hosts and open groups', async () => {
    const client = helperClient({ connect: () => createConnection(socketPath), reconnect: false });
    try {
      const facts = await client.steps.runningHolders();
      const web = facts.processes.find((p) => p.vmId === '101')!;
      expect(web).toMatchObject({ via: 'proxmox', name: 'web-01', hosts: ['0000:18:01.0', '0000:86:10.0'], fdsRead: true });
      expect(web.vfioGroups).toHaveLength(2);
      // build-runner (105) is stopped: no process.
      expect(facts.processes.map((p) => p.vmId)).not.toContain('105');
      expect(facts.reservations.every((r) => !r.stale)).toBe(true);
    } finally {
      await client.close();
    }
  });

  it('refuses runningHolders with anything beside the op: there is nothing to name', async () => {
    const { replies } = await exchange([JSON.stringify({ id: 1, op: 'runningHolders', pid: 1 }), JSON.stringify({ id: 2, op: 'runningHolders', root: '/' })]);
    expect(replies.map(refusalOf)).toEqual(['invalid-message', 'invalid-message']);
  });
});

describe('sriovCapabilities: the SR-IOV capability in config spaces, read by the helper (past 64 bytes needs root)', () => {
  /** A 4 KiB config space whose one extended capability (at 0x100) has this id; SR-IOV's TotalVFs at +0x0e. */
  const configWith = (capId: number, totalVfs: number) => {
    const b = Buffer.alloc(4096);
    b.writeUInt32LE(capId | (1 << 16), 0x100);
    b.writeUInt16LE(totalVfs, 0x10e);
    b.writeUInt16LE(totalVfs, 0x10c);
    return b;
  };

  it("answers each address asked, in order, from its whole config space: SR-IOV's capability, another capability, a short config", async () => {
    // root's files, 0600: as the kernel's `config` past 64 bytes, only root may read them.
    const configOf = (address: string) => sysfsPaths(tree).pciDeviceFile(address, 'config');
    for (const [address, config] of [[DEMO.e810p0, configWith(0x0010, 128)], [DEMO.nvme, configWith(0x0001, 0)]] as const) {
      writeFileSync(configOf(address), config);
      chmodSync(configOf(address), 0o600);
    }
    const client = helperClient({ connect: () => createConnection(socketPath), reconnect: false });
    try {
      const answer = await client.steps.sriovCapabilities([DEMO.nvme, DEMO.e810p0, DEMO.x710p1]);
      expect(answer).toEqual([
        { address: DEMO.nvme, capability: { kind: 'absent' } },
        { address: DEMO.e810p0, capability: { kind: 'present', offset: 0x100, initialVfs: 128, totalVfs: 128 } },
        // The generated tree keeps the 64-byte header only for the others.
        { address: DEMO.x710p1, capability: { kind: 'unreadable', bytes: 64 } },
      ]);
    } finally {
      await client.close();
    }
  });

  it('refuses an address that is no PCI function on the host, one that is not an address, an empty or too long list, an unknown field', async () => {
    const { replies } = await exchange([
      JSON.stringify({ id: 1, op: 'sriovCapabilities', addresses: [DEMO.nvme, '0000:ee:00.0'] }),
      JSON.stringify({ id: 2, op: 'sriovCapabilities', addresses: ['../../etc/shadow'] }),
      JSON.stringify({ id: 3, op: 'sriovCapabilities', addresses: [] }),
      JSON.stringify({ id: 4, op: 'sriovCapabilities', addresses: [DEMO.nvme], path: '/etc' }),
      JSON.stringify({ id: 5, op: 'sriovCapabilities', addresses: Array.from({ length: HELPER_MAX_CAPABILITY_ADDRESSES + 1 }, () => DEMO.nvme) }),
    ]);
    expect(replies.map(refusalOf)).toEqual(['no-such-device', 'bad-address', 'invalid-message', 'invalid-message', 'invalid-message']);
  });
});
