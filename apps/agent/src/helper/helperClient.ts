import type { Duplex } from 'node:stream';
import type { AttachResult, Hypervisor, VmStates } from '@vfmap/hypervisors';
import { HELPER_MAX_CAPABILITY_ADDRESSES, HELPER_MAX_REPLY_BYTES, HelperReply, type HelperRequest, type HelperResult, type PersistWriteOutcome, type RunningFacts, type VfSettingName } from '@vfmap/model';
import { UnavailableError } from '../errors';
import { fromHelperFailure } from './helperErrors';
import type { HelperSteps, PrivilegedSteps } from './helperSteps';
import { readLines, writeLine } from './lineChannel';

type Message = HelperRequest extends infer R ? (R extends { id: number } ? Omit<R, 'id'> : never) : never;

export interface HelperClient {
  steps: HelperSteps;
  close(): Promise<void>;
}

export interface HelperClientOptions {
  /** Opens the connection: the inherited socketpair end (fd 3), or the helper's socket path. */
  connect: () => Duplex;
  /** The connection ended and cannot come back (the socketpair): the HTTP side has no helper left. */
  onLost?: (err: Error) => void;
  /** Connect again at the next call after a lost connection (a path socket, the helper restarted). */
  reconnect: boolean;
  /** Connect now rather than at the first step (the socketpair: its close says the helper died, even while idle). */
  eager?: boolean;
}

/**
 * The HTTP side's end of the helper socket: each step is one message with an id, answered by the
 * helper with the same id. A connection lost with steps in flight fails them with an
 * UnavailableError that says their outcome is unknown (the helper may have finished a write).
 * No timeout here: each hypervisor command has its own, and a sysfs write lasts as long as the
 * kernel works on it.
 */
export function helperClient(options: HelperClientOptions): HelperClient {
  let socket: Duplex | null = null;
  let lost = false;
  let closed = false;
  let nextId = 1;
  const pending = new Map<number, { resolve: (v: HelperResult | null) => void; reject: (e: unknown) => void }>();

  const failAll = (err: Error) => {
    for (const p of pending.values()) p.reject(err);
    pending.clear();
  };

  const open = (): Duplex => {
    if (socket) return socket;
    if (lost && !options.reconnect) throw new UnavailableError('the root helper is gone (its connection closed); restart the agent');
    const s = options.connect();
    socket = s;
    const drop = (why: string) => {
      if (socket !== s) return;
      socket = null;
      lost = true;
      const err = new UnavailableError(`the root helper ${why} before it answered; the step's outcome is unknown (see the helper's log)`);
      failAll(err);
      if (!closed && !options.reconnect) options.onLost?.(err);
    };
    s.on('error', () => drop('connection failed'));
    s.on('close', () => drop('connection closed'));
    readLines(
      s,
      (line) => {
        let reply: HelperReply;
        try {
          reply = HelperReply.parse(JSON.parse(line));
        } catch {
          s.destroy();
          drop('sent a reply that is not one');
          return;
        }
        if (reply.id === 0) {
          // An answer to a message it could not read: nothing to match it with, so every call in flight ends.
          failAll(reply.ok ? new UnavailableError('the root helper answered a message it could not read') : fromHelperFailure(reply.error));
          return;
        }
        const p = pending.get(reply.id);
        if (!p) return;
        pending.delete(reply.id);
        if (reply.ok) p.resolve(reply.result);
        else p.reject(fromHelperFailure(reply.error));
      },
      () => {
        s.destroy();
        drop('sent an oversize reply');
      },
      HELPER_MAX_REPLY_BYTES,
    );
    return s;
  };

  const call = (message: Message): Promise<HelperResult | null> =>
    new Promise((resolve, reject) => {
      if (closed) {
        reject(new UnavailableError('the agent is shutting down; the step was not sent to the root helper'));
        return;
      }
      let s: Duplex;
      try {
        s = open();
      } catch (err) {
        reject(err);
        return;
      }
      const id = nextId++;
      pending.set(id, { resolve, reject });
      writeLine(s, { ...message, id });
    });

  const attachResult = (r: HelperResult | null): AttachResult => {
    if (!r || !('effect' in r)) throw new UnavailableError('the root helper answered an attach or detach without its result');
    return r;
  };
  const vmStates = (r: HelperResult | null): VmStates => {
    if (!r || !('states' in r)) throw new UnavailableError('the root helper answered listVms without the VM states');
    return new Map(Object.entries(r.states));
  };

  const runningFacts = (r: HelperResult | null): RunningFacts => {
    if (!r || !('running' in r)) throw new UnavailableError('the root helper answered runningHolders without the running processes');
    return r.running;
  };

  const capabilitiesOf = (r: HelperResult | null, asked: readonly string[]) => {
    if (!r || !('capabilities' in r)) throw new UnavailableError('the root helper answered sriovCapabilities without the capabilities');
    // One answer per address asked, in order: anything else is not an answer to this question.
    if (r.capabilities.length !== asked.length || r.capabilities.some((c, i) => c.address !== asked[i])) {
      throw new UnavailableError('the root helper answered sriovCapabilities for other addresses than those asked');
    }
    return r.capabilities;
  };

  const appliedOf = (r: HelperResult | null): VfSettingName[] => {
    if (!r || !('applied' in r)) throw new UnavailableError('the root helper answered setVfConfig without the settings it applied');
    return r.applied;
  };
  const persistOutcome = (r: HelperResult | null): PersistWriteOutcome => {
    if (!r || !('mechanism' in r)) throw new UnavailableError('the root helper answered writePersistence without what it did');
    return r;
  };

  if (options.eager) open();

  return {
    steps: {
      async setNumVfs(pf, count) {
        await call({ op: 'setNumVfs', pf, count });
      },
      attach: async (vmId, address) => attachResult(await call({ op: 'attach', vmId, address })),
      detach: async (vmId, address) => attachResult(await call({ op: 'detach', vmId, address })),
      listVms: async () => vmStates(await call({ op: 'listVms' })),
      runningHolders: async () => runningFacts(await call({ op: 'runningHolders' })),
      async sriovCapabilities(addresses) {
        // A message names at most HELPER_MAX_CAPABILITY_ADDRESSES: more go in several.
        const out = [];
        for (let i = 0; i < addresses.length; i += HELPER_MAX_CAPABILITY_ADDRESSES) {
          const asked = addresses.slice(i, i + HELPER_MAX_CAPABILITY_ADDRESSES);
          out.push(...capabilitiesOf(await call({ op: 'sriovCapabilities', addresses: asked }), asked));
        }
        return out;
      },
      setVfConfig: async (pf, vfIndex, change) => appliedOf(await call({ op: 'setVfConfig', pf, vfIndex, change })),
      async setVfDriver(vf, driver) {
        await call({ op: 'setVfDriver', vf, driver });
      },
      async setDriversAutoprobe(pf, enabled) {
        await call({ op: 'setDriversAutoprobe', pf, enabled });
      },
      writePersistence: async (pf, desired, mode = 'write') => persistOutcome(await call({ op: 'writePersistence', pf, desired, mode })),
    },
    async close() {
      closed = true;
      failAll(new UnavailableError('the agent is shutting down; the root helper\'s answer was not awaited and the outcome is unknown'));
      socket?.end();
      socket?.destroy();
      socket = null;
    },
  };
}

/**
 * The HTTP side's hypervisor: it reads VMs itself (VM configs readable by its group; Proxmox's VM
 * states come from the helper's listVms, startAgent.ts) and asks the helper to attach and detach.
 */
export function helperHypervisor(reader: Hypervisor, steps: PrivilegedSteps): Hypervisor {
  return {
    kind: reader.kind,
    snapshot: () => reader.snapshot(),
    fingerprint: () => reader.fingerprint(),
    attach: (vmId, address) => steps.attach(vmId, address),
    detach: (vmId, address) => steps.detach(vmId, address),
  };
}
