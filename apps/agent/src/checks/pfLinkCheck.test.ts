import { describe, expect, it } from 'vitest';
import { handPf, handTopology, handVf } from '../testing/handTopology';
import { handFiles } from '../testing/handTree';
import { pfLinkCheck } from './pfLinkCheck';

const PF = '0000:18:00.0';

describe('pfLinkCheck', () => {
  it('warns where a PF with VFs has its link down, with the carrier read', () => {
    const files = handFiles({ 'sys/class/net/ens1f0/operstate': 'down', 'sys/class/net/ens1f0/carrier': '0' });
    const pf = handPf(PF, { numVfs: 1, vfs: [handVf(PF, 0, '0000:18:02.0')], netdevs: [{ name: 'ens1f0', mac: null, operState: 'down', speedMbps: null }] });
    const [c] = pfLinkCheck({ files, topology: handTopology({ pfs: [pf] }) });
    expect(c).toMatchObject({ id: 'pf-link', target: PF, status: 'warn', title: `The link of ${PF} (ens1f0) is down: its 1 VFs pass no traffic` });
    expect(c!.evidence).toEqual([
      { path: '/sys/class/net/ens1f0/operstate', value: 'down' },
      { path: '/sys/class/net/ens1f0/carrier', value: '0' },
    ]);
  });

  it('says nothing of a PF that is up, has no VFs, or has no netdev (NVMe)', () => {
    const files = handFiles({ 'sys/class/net': { dir: true } });
    const up = handPf(PF, { numVfs: 1, netdevs: [{ name: 'ens1f0', mac: null, operState: 'up', speedMbps: 10000 }] });
    const noVfs = handPf('0000:18:00.1', { netdevs: [{ name: 'ens1f1', mac: null, operState: 'down', speedMbps: null }] });
    const nvme = handPf('0000:01:00.0', { numVfs: 2 });
    expect(pfLinkCheck({ files, topology: handTopology({ pfs: [up, noVfs, nvme] }) })).toEqual([]);
  });
});
