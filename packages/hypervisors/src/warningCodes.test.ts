import { appendFileSync, rmSync, writeFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { HypervisorWarningCode, Topology, type Device, type Warning } from '@vfmap/model';
import { makePveRoot, type PveRoot } from '../test/pveRoot';
import { annotateTopology } from './annotateTopology';
import { createHypervisor } from './createHypervisor';

/**
 * Every code of the model's HypervisorWarningCode, made to happen on a temp tree laid out like a
 * Proxmox node (Proxmox's qm cannot run here: test/qm-standin.mjs stands in for it) and by
 * annotateTopology. The Record makes a new code in the model fail the typecheck until it has a
 * way to happen here (or leaves the enum).
 */
let pve: PveRoot | null = null;
afterEach(() => {
  pve?.cleanup();
  pve = null;
});
function node(options: Parameters<typeof makePveRoot>[0] = {}): PveRoot {
  pve = makePveRoot({ confs: ['100.conf', '101.conf'], running: ['100'], ...options });
  return pve;
}
const snapshot = (p: PveRoot, qm = p.qm) => createHypervisor('proxmox', { root: p.root, qm }).snapshot();

function device(address: string): Device {
  return {
    address, vendorId: '8086', deviceId: '1889', vendorName: null, deviceName: null, class: '020000', driver: 'vfio-pci',
    driverOverride: null, numaNode: 0, iommuGroup: 71, netdevs: [], holder: null,
  };
}
/** A scanned host with the given functions and nothing else. */
const host = (devices: Device[]): Topology =>
  Topology.parse({
    host: { id: 'pve1', hostname: 'pve1', kernel: null, iommu: { enabled: true }, hypervisor: 'proxmox', collectedAt: '2026-01-05T10:00:00Z' },
    cards: [], pfs: [], devices, iommuGroups: [], vms: [], warnings: [],
  });

const happenings: Record<HypervisorWarningCode, () => Promise<Warning[]>> = {
  unreadable: async () => {
    const p = node();
    rmSync(`${p.root}/etc/pve`, { recursive: true });
    return (await snapshot(p)).warnings;
  },
  'vm-config': async () => {
    const p = node();
    appendFileSync(p.confPath('101'), 'hostpci2: 0000:3b:02.9\n');
    return (await snapshot(p)).warnings;
  },
  'hypervisor-unavailable': async () => {
    const p = node();
    return (await snapshot(p, `${p.root}/usr/sbin/no-qm-here`)).warnings;
  },
  'mapping-unresolved': async () => (await snapshot(node({ mapping: false }))).warnings,
  'mapping-pool': async () => {
    const p = node();
    writeFileSync(p.confPath('102'), 'name: pooled\nhostpci0: mapping=vf-pool\n');
    return (await snapshot(p)).warnings;
  },
  'holder-missing-device': async () => annotateTopology(host([]), await snapshot(node())).warnings,
  'holder-conflict': async () => {
    const p = node();
    // VM 100 has 0000:3b:02.4 through the nic-vfs mapping; VM 101 names it too.
    appendFileSync(p.confPath('101'), 'hostpci2: 0000:3b:02.4\n');
    return annotateTopology(host([device('0000:3b:02.4')]), await snapshot(p)).warnings;
  },
};

describe('every hypervisor warning code is one the adapters emit', () => {
  it('reads a Proxmox node whose VM names only devices the host has with no warning at all', async () => {
    const p = node({ confs: ['100.conf'] });
    const named = ['0000:3b:02.1', '0000:3b:02.3', '0000:3b:02.4'];
    expect(annotateTopology(host(named.map(device)), await snapshot(p)).warnings).toEqual([]);
  });

  it.each(HypervisorWarningCode.options)('emits "%s"', async (code) => {
    expect((await happenings[code]()).map((w) => w.code)).toContain(code);
  });
});
