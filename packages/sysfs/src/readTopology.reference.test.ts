import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { Netdev, Topology } from '@vfmap/model';
import { FIXTURES, extractFixture, removeFixture } from '../test/extractFixture';
import { readTopology } from './readTopology';

/**
 * Every fixture tree against `topology-<name>.txt` beside it: what the reference reader
 * (test/realkernel/topology.js) printed for that tree. Each device's ids, class, driver, group,
 * NUMA node, SR-IOV numbers, each VF's driver, group and override, the IOMMU groups and the
 * net interfaces of PCI devices must agree.
 */
const TREES: [folder: string, name: string][] = [
  ['realkernel', 'baseline'],
  ['realkernel', 'vfs-enabled'],
  ['realkernel', 'vfs-failed'],
  ['realkernel-igb', 'igb-baseline'],
  ['realkernel-igb', 'igb-vfs-enabled'],
  ['realkernel-igb', 'igb-vfs-configured'],
  ['real-hosts', 'xeon-l5640-i350-vfs'],
  ['real-hosts', 'supermicro-x722-nec-ve'],
  ['real-hosts', 'thinkpad-x1c10-shared-groups'],
  ['real-hosts', 'dell-dcs8000z-xeon-phi'],
  ['real-hosts', 'kvm-guest-domain10000-edited'],
];

interface ReferenceFunction {
  address: string;
  vendorId: string;
  deviceId: string;
  class: string | null;
  driver: string | null;
  iommuGroup: number | null;
  numaNode?: number | null;
  driverOverride?: string | null;
  net: string[];
  sriov?: { numVfs: number; totalVfs: number; offset: number | null; stride: number | null; vfDeviceId: string | null; driversAutoprobe: boolean | null; vfs: string[] };
}

const nullable = (s: string) => (s === 'null' || s === '-' || s === '(null)' ? null : s);
const int = (s: string) => (nullable(s) === null ? null : Number(s));

const DEVICE_RE =
  /^(\S+) 0x(\w{4}):0x(\w{4}) class 0x(\w{6}) driver=(\S+) group=(\S+) numa=(\S+)(?: net=(\S+))?(?: SR-IOV PF (\d+)\/(\d+) VFs \(offset (\S+), stride (\S+), VF device (\S+), autoprobe (\S+)\))?$/;
const VF_RE = /^ {2}└ VF (\S+) driver=(\S+) group=(\S+) override=(\S+)(?: net=(\S+))?$/;
const NET_RE = /(\S+)\(([^,]+), ([^,]+), ([^,]*), ([^)]*)\)/g;

function parseReference(text: string) {
  const functions = new Map<string, ReferenceFunction>();
  let groups: Map<number, string[]> | null = null;
  const net: { name: string; device: string; operState: string | null; mac: string | null; speed: number | null }[] = [];
  const unparsed: string[] = [];
  let pf: ReferenceFunction | null = null;
  for (const line of text.split('\n')) {
    let m = DEVICE_RE.exec(line);
    if (m) {
      pf = {
        address: m[1]!,
        vendorId: m[2]!,
        deviceId: m[3]!,
        class: m[4]!,
        driver: nullable(m[5]!),
        iommuGroup: int(m[6]!),
        numaNode: m[7] === '-1' ? null : int(m[7]!),
        net: m[8] ? m[8].split(',') : [],
      };
      if (m[9]) {
        pf.sriov = {
          numVfs: Number(m[9]),
          totalVfs: Number(m[10]),
          offset: int(m[11]!),
          stride: int(m[12]!),
          vfDeviceId: nullable(m[13]!)?.padStart(4, '0') ?? null,
          driversAutoprobe: nullable(m[14]!) === null ? null : m[14] === '1',
          vfs: [],
        };
      }
      functions.set(pf.address, pf);
      continue;
    }
    m = VF_RE.exec(line);
    if (m) {
      pf!.sriov!.vfs.push(m[1]!);
      functions.set(m[1]!, {
        address: m[1]!,
        vendorId: '',
        deviceId: '',
        class: null,
        driver: nullable(m[2]!),
        iommuGroup: int(m[3]!),
        driverOverride: nullable(m[4]!),
        net: m[5] ? m[5].split(',') : [],
      });
      continue;
    }
    if (line.startsWith('IOMMU groups: ')) {
      if (!line.includes('absent')) groups = new Map([...line.matchAll(/(\d+):\[([^\]]*)\]/g)].map((g) => [Number(g[1]), g[2]!.split(' ')]));
    } else if (line.startsWith('net: ')) {
      for (const n of line.matchAll(NET_RE)) {
        const speed = n[5] === '' || n[5] === 'null' || n[5] === '-1' ? null : Number(n[5]);
        net.push({ name: n[1]!, device: n[2]!, operState: nullable(n[3]!), mac: nullable(n[4]!), speed });
      }
    } else if (line !== '' && !line.startsWith('sysfs root: ')) {
      unparsed.push(line);
    }
  }
  return { functions, groups, net, unparsed };
}

const roots: string[] = [];
afterAll(() => roots.forEach(removeFixture));

describe('readTopology agrees with the reference reader', () => {
  it.each(TREES)('%s/%s', (folder, name) => {
    const root = extractFixture(join(FIXTURES, folder, `${name}.tar.xz`));
    roots.push(root);
    const t: Topology = readTopology({ root, pciIds: null });
    const reference = parseReference(readFileSync(join(FIXTURES, folder, `topology-${name}.txt`), 'utf8'));
    expect(reference.unparsed).toEqual([]);

    const ours = new Map<string, { driver: string | null; iommuGroup: number | null; numaNode: number | null; netdevs: Netdev[] }>();
    for (const d of t.devices) ours.set(d.address, d);
    for (const p of t.pfs) ours.set(p.address, p);
    for (const v of t.pfs.flatMap((p) => p.vfs)) ours.set(v.address, v);
    expect([...ours.keys()].sort()).toEqual([...reference.functions.keys()].sort());

    for (const ref of reference.functions.values()) {
      const got = ours.get(ref.address)!;
      expect({ driver: got.driver, iommuGroup: got.iommuGroup }, ref.address).toEqual({ driver: ref.driver, iommuGroup: ref.iommuGroup });
      expect(got.netdevs.map((n) => n.name), ref.address).toEqual(expect.arrayContaining(ref.net));
      if (ref.numaNode !== undefined) expect(got.numaNode, ref.address).toBe(ref.numaNode);
      if (ref.class !== null) {
        const full = t.devices.find((d) => d.address === ref.address) ?? t.pfs.find((p) => p.address === ref.address)!;
        expect([full.vendorId, full.deviceId, full.class], ref.address).toEqual([ref.vendorId, ref.deviceId, ref.class]);
      }
      if (ref.driverOverride !== undefined) {
        const vf = t.pfs.flatMap((p) => p.vfs).find((v) => v.address === ref.address)!;
        expect(vf.driverOverride, ref.address).toBe(ref.driverOverride);
      }
      const pf = t.pfs.find((p) => p.address === ref.address);
      expect(pf !== undefined, `${ref.address} is a PF`).toBe(ref.sriov !== undefined);
      if (pf && ref.sriov) {
        expect({
          numVfs: pf.numVfs,
          totalVfs: pf.totalVfs,
          offset: pf.offset,
          stride: pf.stride,
          vfDeviceId: pf.vfDeviceId,
          driversAutoprobe: pf.driversAutoprobe,
          vfs: pf.vfs.map((v) => v.address),
        }).toEqual(ref.sriov);
      }
    }

    if (reference.groups) {
      expect(new Map(t.iommuGroups.map((g) => [g.id, g.devices]))).toEqual(reference.groups);
    }
    for (const n of reference.net.filter((x) => ours.has(x.device))) {
      expect(ours.get(n.device)!.netdevs.find((x) => x.name === n.name), n.name).toEqual({ name: n.name, mac: n.mac, operState: n.operState, speedMbps: n.speed });
    }
  });
});
