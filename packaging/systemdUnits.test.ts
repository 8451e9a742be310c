import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { itNeeds, type Need } from '../test/needs';

/**
 * The shipped units' sandboxing, scored by systemd itself (`systemd-analyze security --offline`,
 * systemd 252 on bookworm: a bare ExecStart= unit scores 9.6). The HTTP side must stay at or
 * under 3.0, the root helper at or under 6.0; loosening a unit past that fails here.
 */
const HERE = import.meta.dirname;

function hasSystemdAnalyze(): boolean {
  try {
    execFileSync('systemd-analyze', ['--version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
}
const systemdAnalyze: Need = { what: 'systemd-analyze (apt install systemd)', met: hasSystemdAnalyze() };

export function exposureOf(unit: string): number {
  let out: string;
  try {
    out = execFileSync('systemd-analyze', ['security', '--offline=true', '--no-pager', join(HERE, unit)], { encoding: 'utf8', stdio: 'pipe' });
  } catch (err) {
    // It exits non-zero when the score is above --threshold (default 100: never); the output is still the report.
    out = String((err as { stdout?: unknown }).stdout ?? '');
  }
  const m = /Overall exposure level for \S+: (\d+(?:\.\d+)?)/.exec(out);
  if (!m) throw new Error(`no "Overall exposure level" line in:\n${out}`);
  return Number(m[1]);
}

describe('the systemd units', () => {
  itNeeds([systemdAnalyze], 'keep the HTTP side (vfmap-agent.service) at an exposure of 3.0 or less', () => {
    const score = exposureOf('vfmap-agent.service');
    console.log(`vfmap-agent.service exposure: ${score}`);
    expect(score).toBeLessThanOrEqual(3.0);
  });

  itNeeds([systemdAnalyze], 'keep the root helper (vfmap-helper.service) at an exposure of 6.0 or less', () => {
    const score = exposureOf('vfmap-helper.service');
    console.log(`vfmap-helper.service exposure: ${score}`);
    expect(score).toBeLessThanOrEqual(6.0);
  });

  itNeeds([systemdAnalyze], 'scores a plain unit as unsafe (the measure can fail)', () => {
    expect(exposureOf('testdata/plain.service')).toBeGreaterThan(9);
  });

  it('runs the HTTP side unprivileged, with what the issue asks for', () => {
    const agent = readFileSync(join(HERE, 'vfmap-agent.service'), 'utf8');
    for (const line of ['User=vfmap', 'NoNewPrivileges=yes', 'ProtectSystem=strict', 'ReadWritePaths=/var/lib/vfmap', 'ProtectHome=yes', 'PrivateTmp=yes', 'CapabilityBoundingSet=\n', 'RestrictAddressFamilies=AF_UNIX AF_INET AF_INET6 AF_NETLINK', 'SystemCallFilter=@system-service', '--helper-socket /run/vfmap/helper.sock']) {
      expect(agent).toContain(line);
    }
    const helper = readFileSync(join(HERE, 'vfmap-helper.service'), 'utf8');
    expect(helper).toMatch(/^ReadWritePaths=\/sys\/bus\/pci \/sys\/devices \/var\/lib\/vfmap /m);
    expect(helper).toContain('helper --socket /run/vfmap/helper.sock --user vfmap');
  });
});
