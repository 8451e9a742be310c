/**
 * `npm run package`: builds dist/vfmap_<version>_all.deb from the bundled agent (apps/agent/dist,
 * with the page in public/ when apps/web is built), the systemd units and the maintainer scripts
 * in packaging/. Installs with `apt install ./vfmap_<version>_all.deb`.
 *
 *   node --import tsx scripts/package.ts [--dist apps/agent/dist] [--out dist]
 */
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';

const REPO = resolve(import.meta.dirname, '..');

export interface PackageOptions {
  /** The bundled agent (build.mjs's output). */
  dist: string;
  /** Where the .deb goes. */
  out: string;
}

/** The control file. nodejs: the bundle runs on Debian bookworm's own nodejs, 18.20 (packaging/bookwormNode.test.ts runs it there). */
export function controlFile(version: string, installedKb: number): string {
  return [
    'Package: vfmap',
    `Version: ${version}`,
    'Architecture: all',
    'Maintainer: vfmap maintainers <vfmap@localhost>',
    `Installed-Size: ${installedKb}`,
    'Depends: nodejs (>= 18.19), adduser | passwd, iproute2, systemd',
    'Section: admin',
    'Priority: optional',
    'Homepage: https://github.com/vfmap/vfmap',
    'Description: SR-IOV topology dashboard and agent',
    ' An agent per hypervisor that shows cards, PFs, VFs and the VMs holding them,',
    ' and changes VF counts and assignments. The HTTP side runs as the vfmap user;',
    ' a root helper does the privileged steps only.',
    '',
  ].join('\n');
}

export function buildPackage(options: PackageOptions): string {
  const version = (JSON.parse(readFileSync(join(REPO, 'package.json'), 'utf8')) as { version: string }).version;
  if (!existsSync(join(options.dist, 'vfmap.js'))) throw new Error(`${options.dist} has no vfmap.js: build the agent first (npm run build)`);
  const stage = mkdtempSync(join(tmpdir(), 'vfmap-deb-'));
  try {
    const lib = join(stage, 'usr/lib/vfmap');
    cpSync(options.dist, lib, { recursive: true, filter: (src) => !src.endsWith('.map') });
    chmodSync(join(lib, 'vfmap.js'), 0o755);
    mkdirSync(join(stage, 'usr/bin'), { recursive: true });
    symlinkSync('../lib/vfmap/vfmap.js', join(stage, 'usr/bin/vfmap'));
    const units = join(stage, 'lib/systemd/system');
    mkdirSync(units, { recursive: true });
    for (const unit of ['vfmap-agent.service', 'vfmap-helper.service']) copyFileSync(join(REPO, 'packaging', unit), join(units, unit));
    const doc = join(stage, 'usr/share/doc/vfmap');
    mkdirSync(doc, { recursive: true });
    copyFileSync(join(REPO, 'README.md'), join(doc, 'README.md'));
    copyFileSync(join(REPO, 'docs/operations.md'), join(doc, 'operations.md'));

    const kb = Number(execFileSync('du', ['-sk', stage], { encoding: 'utf8' }).split('\t')[0]);
    const control = join(stage, 'DEBIAN');
    mkdirSync(control, { mode: 0o755 });
    writeFileSync(join(control, 'control'), controlFile(version, kb));
    for (const script of ['postinst', 'prerm', 'postrm']) {
      copyFileSync(join(REPO, 'packaging/debian', script), join(control, script));
      chmodSync(join(control, script), 0o755);
    }
    // Files 0644 and directories 0755 whatever the umask of the build; vfmap.js and the scripts stay 0755.
    execFileSync('chmod', ['-R', 'u=rwX,go=rX', stage]);
    execFileSync('chmod', ['0755', join(lib, 'vfmap.js'), ...['postinst', 'prerm', 'postrm'].map((s) => join(control, s))]);
    mkdirSync(options.out, { recursive: true });
    const deb = join(resolve(options.out), `vfmap_${version}_all.deb`);
    execFileSync('dpkg-deb', ['--root-owner-group', '-Zxz', '--build', stage, deb], { stdio: 'pipe' });
    return deb;
  } finally {
    rmSync(stage, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const { values } = parseArgs({ options: { dist: { type: 'string' }, out: { type: 'string' } } });
  const deb = buildPackage({ dist: resolve(values.dist ?? join(REPO, 'apps/agent/dist')), out: resolve(values.out ?? join(REPO, 'dist')) });
  process.stdout.write(`${deb}\n`);
}
