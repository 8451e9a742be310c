import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateHost } from './generateHost';
import { profileNames, profiles } from './profiles';
import { tempRoot } from './tempRoot';

interface LspciDevice {
  address: string;
  classCode: string;
  ids: string;
  revision: string;
  driver: string | null;
  text: string;
}

/** `lspci -D -k -nn` output: one block per function, its driver on a "Kernel driver in use" line. */
function parseLspci(out: string): LspciDevice[] {
  const devices: LspciDevice[] = [];
  for (const line of out.split('\n')) {
    const head = /^(\S+) .*\[([0-9a-f]{4})\]: (.*) \[([0-9a-f]{4}:[0-9a-f]{4})\](?: \(rev ([0-9a-f]{2})\))?$/.exec(line);
    if (head) {
      // lspci prints "(rev xx)" only for a non-zero revision.
      devices.push({ address: head[1]!, classCode: head[2]!, text: head[3]!, ids: head[4]!, revision: head[5] ?? '00', driver: null });
      continue;
    }
    const driver = /^\tKernel driver in use: (\S+)$/.exec(line);
    if (driver && devices.length > 0) devices[devices.length - 1]!.driver = driver[1]!;
  }
  return devices;
}

/** What the tree says, read directly: the truth lspci must agree with. */
function treeDevices(root: string): LspciDevice[] {
  const dir = join(root, 'sys/bus/pci/devices');
  return readdirSync(dir)
    .sort()
    .map((address) => {
      const attr = (n: string) => readFileSync(join(dir, address, n), 'utf8').trim();
      const driverLink = join(dir, address, 'driver');
      return {
        address,
        classCode: attr('class').slice(2, 6),
        ids: `${attr('vendor').slice(2)}:${attr('device').slice(2)}`,
        revision: attr('revision').slice(2),
        driver: existsSync(driverLink) ? readlinkSync(driverLink).split('/').pop()! : null,
        text: '',
      };
    });
}

function lspci(root: string, extra: string[] = []): LspciDevice[] {
  const run = spawnSync('lspci', ['-A', 'linux-sysfs', '-O', `sysfs.path=${join(root, 'sys/bus/pci')}`, '-D', '-k', '-nn', ...extra], {
    encoding: 'utf8',
    maxBuffer: 1 << 28,
  });
  expect(run.status, run.stderr).toBe(0);
  return parseLspci(run.stdout);
}

const withoutText = (d: LspciDevice[]) => d.map(({ text: _text, ...rest }) => rest);

// pciutils reads the tree like any tool on the host: sysfs.path points it at ROOT/sys/bus/pci.
describe.each(profileNames.filter((p) => p !== 'large'))('lspci on the %s profile', (name) => {
  const tmp = tempRoot();
  beforeAll(() => {
    generateHost(tmp.dir, profiles[name]!);
  });
  afterAll(() => tmp.remove());

  it('lists every function with its class, ids, revision and driver, VFs included', () => {
    const listed = lspci(tmp.dir);
    const truth = treeDevices(tmp.dir);
    expect(truth.length).toBeGreaterThan(5);
    expect(withoutText(listed)).toEqual(withoutText(truth));
  });

  it('names every function from the tree’s own pci.ids', () => {
    const listed = lspci(tmp.dir, ['-i', join(tmp.dir, 'usr/share/hwdata/pci.ids')]);
    const unnamed = listed.filter((d) => /\bDevice [0-9a-f]{4}\b/.test(d.text)).map((d) => `${d.address} ${d.text}`);
    expect(unnamed).toEqual([]);
  });
});

describe('lspci on the demo profile, closer', () => {
  const tmp = tempRoot();
  beforeAll(() => {
    generateHost(tmp.dir, profiles.demo!);
  });
  afterAll(() => tmp.remove());

  const show = (address: string) =>
    spawnSync('lspci', ['-A', 'linux-sysfs', '-O', `sysfs.path=${join(tmp.dir, 'sys/bus/pci')}`, '-vv', '-s', address], { encoding: 'utf8' }).stdout;

  it('reads bridge bus numbers from the type 1 header, with room for VFs that spill', () => {
    expect(show('0000:17:00.0')).toContain('Bus: primary=17, secondary=18, subordinate=19');
    expect(show('0000:00:1c.5')).toContain('Bus: primary=00, secondary=02, subordinate=03');
  });

  it('shows the VF’s regions from its PF’s SR-IOV BARs, and its IOMMU group and NUMA node', () => {
    const vf = show('0000:86:10.1');
    expect(vf).toContain('82599 Ethernet Controller Virtual Function');
    expect(vf).toMatch(/Region 0: Memory at [0-9a-f]+ \(64-bit, non-prefetchable\) \[virtual\] \[size=16K\]/);
    expect(vf).toContain('NUMA node: 1');
    expect(vf).toMatch(/IOMMU group: \d+/);
    expect(vf).toContain('Kernel driver in use: vfio-pci');
  });
});
