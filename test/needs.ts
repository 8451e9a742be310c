import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { it, type TestFunction } from 'vitest';
import { pciIdsCandidates } from '@vfmap/model';

/**
 * Tests that need something of the machine (root, the real-kernel harness, a pci.ids) say so
 * here. On a developer's machine a missing need skips the test, with the reason in its name; in CI
 * (CI=true, as .ci/run runs) it fails the test, so a green CI never hides a test that did not run.
 * scripts/ensure-test-deps.sh installs what these need.
 */
export interface Need {
  /** What is needed, as a person would say it: "root", "a pci.ids (apt install pci.ids)". */
  what: string;
  met: boolean;
}

export const inCi = process.env.CI === 'true';

export const root: Need = { what: 'root (QEMU serves / over 9p)', met: process.getuid?.() === 0 };

/** This machine's pci.ids, the first of model's PCI_IDS_LOCATIONS that exists. */
export const systemPciIdsFile: string | null = pciIdsCandidates('/').find((path) => existsSync(path)) ?? null;

export const pciIds: Need = { what: `a pci.ids (${pciIdsCandidates('/').join(' or ')}: apt install pci.ids)`, met: systemPciIdsFile !== null };

export function file(path: string, what: string): Need {
  return { what: `${what} (${path})`, met: existsSync(path) };
}

/** Where scripts/ensure-test-deps.sh puts promtool, taken from Debian's prometheus package without installing it. */
export const PROMTOOL_CACHED = '/opt/vfmap-test/promtool/promtool';

/** promtool (checks a /metrics text): the one on PATH, else the cached one, else null. */
export const promtoolPath: string | null =
  (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '')
    .map((dir) => join(dir, 'promtool'))
    .concat(PROMTOOL_CACHED)
    .find((path) => isExecutable(path)) ?? null;

export const promtool: Need = { what: `promtool (on PATH or ${PROMTOOL_CACHED}: scripts/ensure-test-deps.sh takes it from Debian's prometheus package)`, met: promtoolPath !== null };

function isExecutable(path: string): boolean {
  try {
    accessSync(path, constants.X_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Debian bookworm's own nodejs (18.20) with the libraries it needs, unpacked from the archive's
 * packages here (not installed: the system's Node stays as it is) by scripts/ensure-test-deps.sh.
 */
export const BOOKWORM_NODE_ROOT = '/opt/vfmap-test/bookworm-nodejs';
export const bookwormNode: Need = {
  what: `Debian bookworm's nodejs unpacked in ${BOOKWORM_NODE_ROOT} (scripts/ensure-test-deps.sh, as root)`,
  met: isExecutable(`${BOOKWORM_NODE_ROOT}/usr/bin/node`),
};

/** A private mount namespace (unshare -m, as root): to lay bookworm's /usr/share/nodejs over this machine's. */
export const mountNamespace: Need = {
  what: 'a private mount namespace (unshare -m, root)',
  met: process.getuid?.() === 0 && spawnSync('unshare', ['-m', 'true']).status === 0,
};

/** `it`, run when every need is met; otherwise skipped, or failed in CI. */
export function itNeeds(needs: readonly Need[], name: string, fn: TestFunction, timeout?: number): void {
  const unmet = needs.filter((n) => !n.met).map((n) => n.what);
  if (unmet.length === 0) {
    it(name, fn, timeout);
  } else if (inCi) {
    it(`${name} (needs ${unmet.join(', ')})`, () => {
      throw new Error(`this test needs ${unmet.join(', ')}, and CI must have it: scripts/ensure-test-deps.sh installs it`);
    });
  } else {
    it.skip(`${name} (skipped: needs ${unmet.join(', ')})`, fn);
  }
}
