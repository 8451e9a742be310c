import { runCommand, type RunCommand } from './runCommand';

export interface QmOptions {
  /** The qm binary. Default `qm` from PATH (Proxmox installs it as /usr/sbin/qm). */
  path?: string;
  run?: RunCommand;
  timeoutMs?: number;
}

/** Proxmox's `qm`, run with argument arrays. It only runs commands; parseQmList reads `list`. */
export interface Qm {
  /** `qm list`; resolves to stdout. */
  list(): Promise<string>;
  /**
   * `qm set <vmid> --<key> <value> [--digest D]`. With the digest of the config the caller
   * read, qm refuses when someone changed the file meanwhile ("detected modified
   * configuration - file changed by other user? Try again.").
   */
  set(vmid: string, key: string, value: string, digest?: string): Promise<void>;
  /** `qm set <vmid> --delete <keys> [--digest D]`. */
  delete(vmid: string, keys: readonly string[], digest?: string): Promise<void>;
}

export function createQm(options: QmOptions = {}): Qm {
  const path = options.path ?? 'qm';
  const run = options.run ?? runCommand;
  const runOptions = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  const digestArgs = (digest?: string) => (digest === undefined ? [] : ['--digest', digest]);
  return {
    async list() {
      return (await run([path, 'list'], runOptions)).stdout;
    },
    async set(vmid, key, value, digest) {
      await run([path, 'set', vmid, `--${key}`, value, ...digestArgs(digest)], runOptions);
    },
    async delete(vmid, keys, digest) {
      await run([path, 'set', vmid, '--delete', keys.join(','), ...digestArgs(digest)], runOptions);
    },
  };
}
