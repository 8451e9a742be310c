import { execFileSync, spawn } from 'node:child_process';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHost, profiles } from '@vfmap/simhost';
import { readTopology } from '@vfmap/sysfs';
import { extractFixture, fixture, removeFixture } from '../../../packages/sysfs/test/extractFixture';
import { pciIdsRootsFor } from './pciIdsRoots';
import { tempDir } from './testing/simAgent';

/**
 * `vfmap scan` as the bundle runs it (apps/agent/build.mjs, built here into a temp dir): what it
 * prints, and what it loads. Most of a scan's run time is start-up, so the scan's path keeps out
 * the schema library and the hypervisor adapters (cli.ts, scanConfig.ts, scanCommand.ts).
 */

/** Markers of code that `vfmap scan` must not load: zod's base class, fast-xml-parser's class (hypervisor adapters). */
const ZOD = '$ZodType';
const XML_PARSER = 'XMLParser';

let dist: string;
let work: string;
let realKernel: string;
let generated: string;
beforeAll(() => {
  work = tempDir('vfmap-scan-bundle-');
  dist = join(work, 'dist');
  execFileSync(process.execPath, [join(import.meta.dirname, '../build.mjs'), '--outdir', dist], { stdio: ['ignore', 'ignore', 'pipe'] });
  // A module hook that writes down every file the CLI loads (node --import register.mjs).
  writeFileSync(
    join(work, 'hooks.mjs'),
    `import { appendFileSync } from 'node:fs';
export async function load(url, context, next) {
  if (url.startsWith('file:') && process.env.VFMAP_TEST_LOADED) appendFileSync(process.env.VFMAP_TEST_LOADED, url + '\\n');
  return next(url, context);
}\n`,
  );
  writeFileSync(join(work, 'register.mjs'), `import { register } from 'node:module';\nregister(${JSON.stringify(pathToFileURL(join(work, 'hooks.mjs')).href)});\n`);
  realKernel = extractFixture(fixture('realkernel', 'vfs-enabled'));
  generated = join(work, 'demo-host');
  generateHost(generated, profiles.demo!);
}, 120_000);
afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  removeFixture(realKernel);
});

function vfmap(args: string[]): string {
  return execFileSync(process.execPath, [join(dist, 'vfmap.js'), ...args], { encoding: 'utf8', maxBuffer: 1 << 28 });
}

/** The files a command loads, and whether they hold each marker. */
function loadedBy(args: string[]): { files: string[]; holds: (marker: string) => boolean } {
  const log = join(work, `loaded-${args[0]}-${Date.now()}.txt`);
  writeFileSync(log, '');
  execFileSync(process.execPath, ['--import', pathToFileURL(join(work, 'register.mjs')).href, join(dist, 'vfmap.js'), ...args], {
    env: { ...process.env, VFMAP_TEST_LOADED: log },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  const files = readFileSync(log, 'utf8').split('\n').filter((l) => l.startsWith(pathToFileURL(dist).href));
  const texts = files.map((url) => readFileSync(new URL(url), 'utf8'));
  return { files, holds: (marker) => texts.some((t) => t.includes(marker)) };
}

describe('vfmap scan, bundled', () => {
  it.each([
    ['a real-kernel capture (names from this machine’s pci.ids)', () => realKernel],
    ['a generated host with its own pci.ids', () => generated],
  ])('prints byte for byte the JSON of readTopology for %s', (_, rootOf) => {
    const root = rootOf();
    const printed = vfmap(['scan', '--root', root, '--json']);
    // The one field that differs between two reads is when they were made: read again "then".
    const collectedAt = (JSON.parse(printed) as { host: { collectedAt: string } }).host.collectedAt;
    const inProcess = readTopology({ root, pciIdsRoots: pciIdsRootsFor(root), now: () => new Date(collectedAt) });
    expect(inProcess.pfs.length).toBeGreaterThan(0);
    expect(printed).toBe(`${JSON.stringify(inProcess, null, 2)}\n`);
  });

  it('loads neither zod nor the hypervisor adapters to scan, and each when a command needs it', () => {
    const scan = loadedBy(['scan', '--root', generated, '--json']);
    // One file: the CommonJS bin (bin.ts), where the module hook sees the entry only.
    expect(scan.files.map((f) => f.split('/').pop())).toEqual(['vfmap.js']);
    expect(scan.holds(ZOD)).toBe(false);
    expect(scan.holds(XML_PARSER)).toBe(false);
    // The same check sees them where they are needed: the agent's configuration, an adapter.
    expect(loadedBy(['apply-desired', '--root', generated, '--kernel', 'simulated', '--state-dir', join(work, 'state')]).holds(ZOD)).toBe(true);
    expect(loadedBy(['scan', '--root', generated, '--json', '--hypervisor', 'simulated']).holds(XML_PARSER)).toBe(true);
  });

  it('ends quietly, with 0, when its reader stops early (vfmap scan --json | head)', async () => {
    const child = spawn(process.execPath, [join(dist, 'vfmap.js'), 'scan', '--root', generated, '--json'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // The reader goes before the scan writes (head that has its lines): the write meets a closed pipe.
    child.stdout.destroy();
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect({ code, stderr }).toEqual({ code: 0, stderr: '' });
  });
});
