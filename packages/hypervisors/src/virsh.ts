import { randomBytes } from 'node:crypto';
import { HypervisorError } from './hypervisor';
import { parseDomainList, splitBatchOutput, type DomainListEntry } from './parseVirshOutput';
import { runCommand, type RunCommand } from './runCommand';

export interface VirshOptions {
  /** The virsh binary. Default `virsh` from PATH. */
  path?: string;
  /** libvirt connection URI. Default `qemu:///system`. */
  uri?: string;
  run?: RunCommand;
  timeoutMs?: number;
}

/**
 * virsh, run one command at a time with argument arrays. It only runs commands and returns
 * their output; reading that output is the parsers' job.
 */
export interface Virsh {
  readonly uri: string;
  /** `virsh -c URI <args...>`; resolves to stdout. */
  run(args: readonly string[]): Promise<string>;
  /** `list --all --uuid --name`. */
  listDomains(): Promise<DomainListEntry[]>;
  /**
   * Runs several commands in one virsh process (one connection instead of one per command)
   * and returns each one's output, empty for a command that failed. Arguments are limited
   * to plain tokens (UUIDs, option names), because virsh parses this command string itself.
   */
  batch(commands: readonly (readonly string[])[]): Promise<(string | null)[]>;
}

const TOKEN_RE = /^[A-Za-z0-9_.:@/+=-]+$/;

export function createVirsh(options: VirshOptions = {}): Virsh {
  const path = options.path ?? 'virsh';
  const uri = options.uri ?? 'qemu:///system';
  const run = options.run ?? runCommand;
  const runOptions = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };

  const virsh: Virsh = {
    uri,
    async run(args) {
      return (await run([path, '-c', uri, ...args], runOptions)).stdout;
    },
    async listDomains() {
      return parseDomainList(await virsh.run(['list', '--all', '--uuid', '--name']));
    },
    async batch(commands) {
      if (commands.length === 0) return [];
      for (const token of commands.flat()) {
        if (!TOKEN_RE.test(token)) {
          throw new HypervisorError(`refusing to pass '${token}' in a virsh command string`, { code: 'invalid-request' });
        }
      }
      const nonce = randomBytes(8).toString('hex');
      const markers = commands.map((_, i) => `@@vfmap-${nonce}-${i}@@`);
      const script = commands.map((cmd, i) => `echo ${markers[i]} ; ${cmd.join(' ')}`).join(' ; ');
      return splitBatchOutput(await virsh.run([script]), markers);
    },
  };
  return virsh;
}
