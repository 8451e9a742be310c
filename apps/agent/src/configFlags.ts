import { parseArgs } from 'node:util';

/**
 * What every command's configuration starts from: the flags as node:util parses them, and the one
 * error a bad flag or variable becomes (the CLI prints its message and exits 2). No schema library
 * here: `vfmap scan` parses its few flags with this alone (scanConfig.ts).
 */

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

export type Env = Record<string, string | undefined>;
export type Flags = Record<string, string | boolean | string[] | undefined>;
export type FlagSpec = Record<string, { type: 'string' | 'boolean'; multiple?: boolean }>;

export function parseFlags(args: string[], options: FlagSpec): Flags {
  try {
    return parseArgs({ args, options, strict: true, allowPositionals: false }).values as Flags;
  } catch (err) {
    throw new ConfigError((err as Error).message);
  }
}
