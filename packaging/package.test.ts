import { execFileSync } from 'node:child_process';
import { chmodSync, existsSync, lstatSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildPackage } from '../scripts/package';

/**
 * The .deb as `npm run package` makes it, from the agent bundled here, checked without
 * installing it: dpkg-deb -I (control fields, maintainer scripts), -e (the scripts parse with
 * sh -n), -x into a throwaway root (units, the command, the bundle runs `--version`).
 */
const REPO = resolve(import.meta.dirname, '..');
const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
let work: string;
let deb: string;
let root: string;

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'vfmap-package-test-'));
  chmodSync(work, 0o755);
  execFileSync(process.execPath, [join(REPO, 'apps/agent/build.mjs'), '--outdir', join(work, 'bundle')], { cwd: REPO, stdio: 'pipe' });
  deb = buildPackage({ dist: join(work, 'bundle'), out: join(work, 'out') });
  root = join(work, 'root');
  execFileSync('dpkg-deb', ['-x', deb, root]);
}, 60_000);
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('the .deb', () => {
  it('is named and described for dpkg', () => {
    expect(deb.endsWith(`vfmap_${version}_all.deb`)).toBe(true);
    const field = (name: string) => execFileSync('dpkg-deb', ['-f', deb, name], { encoding: 'utf8' }).trim();
    expect(field('Package')).toBe('vfmap');
    expect(field('Version')).toBe(version);
    expect(field('Architecture')).toBe('all');
    expect(field('Maintainer')).not.toBe('');
    expect(field('Depends')).toMatch(/(^|, )nodejs \(>= 18\.19\)/);
    expect(field('Depends')).toContain('adduser');
    expect(field('Description')).not.toBe('');
  });

  it('has maintainer scripts that sh parses, and a postinst that creates the vfmap user and enables both units', () => {
    const control = join(work, 'control');
    execFileSync('dpkg-deb', ['-e', deb, control]);
    const scripts = readdirSync(control).filter((n) => ['preinst', 'postinst', 'prerm', 'postrm'].includes(n));
    expect(scripts.sort()).toEqual(['postinst', 'postrm', 'prerm']);
    for (const script of scripts) {
      execFileSync('sh', ['-n', join(control, script)]);
      expect(lstatSync(join(control, script)).mode & 0o111).not.toBe(0);
    }
    const postinst = readFileSync(join(control, 'postinst'), 'utf8');
    expect(postinst).toMatch(/adduser --system --group[^\n]* vfmap/);
    expect(postinst).toContain('install -d -o vfmap -g vfmap -m 0700 /var/lib/vfmap');
    expect(postinst).toContain('systemctl enable vfmap-helper.service vfmap-agent.service');
  });

  it('installs the units as they are in packaging/, and /usr/bin/vfmap', () => {
    for (const unit of ['vfmap-agent.service', 'vfmap-helper.service']) {
      expect(readFileSync(join(root, 'lib/systemd/system', unit), 'utf8')).toBe(readFileSync(join(REPO, 'packaging', unit), 'utf8'));
    }
    expect(readlinkSync(join(root, 'usr/bin/vfmap'))).toBe('../lib/vfmap/vfmap.js');
    expect(existsSync(join(root, 'usr/lib/vfmap/kernelWorker.mjs'))).toBe(true);
    // Every unit's ExecStart names the bundle where the package puts it.
    for (const unit of ['vfmap-agent.service', 'vfmap-helper.service']) expect(readFileSync(join(root, 'lib/systemd/system', unit), 'utf8')).toContain('/usr/lib/vfmap/vfmap.js');
  });

  it('runs from the extracted tree', () => {
    expect(execFileSync(join(root, 'usr/bin/vfmap'), ['--version'], { encoding: 'utf8' }).trim()).toBe(version);
    const help = execFileSync(process.execPath, [join(root, 'usr/lib/vfmap/vfmap.js'), 'help'], { encoding: 'utf8' });
    expect(help).toContain('vfmap helper');
  });
});
