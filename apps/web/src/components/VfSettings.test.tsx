import { cleanup, render, screen } from '@testing-library/react';
import { afterEach, describe, expect, it } from 'vitest';
import type { VfConfig } from '@vfmap/model';
import { VfSettings } from './VfSettings';

afterEach(cleanup);

// igb's VF 0 after `ip link set eth1 vf 0 mac 02:00:00:00:01:00 vlan 100 qos 3 trust on` (the
// real-kernel guest): igb reports no query_rss_en.
const configured: VfConfig = { mac: '02:00:00:00:01:00', vlan: 100, qos: 3, vlanProtocol: '802.1Q', spoofChk: true, trust: true, linkState: 'auto', maxTxRateMbps: 0, minTxRateMbps: 0, queryRss: null };

describe('a VF\'s settings in the details panel', () => {
  it('says each setting in words, and what the driver does not report as such', () => {
    render(<VfSettings config={configured} pfHasNetdev />);
    const text = screen.getByLabelText('VF settings').textContent;
    expect(text).toBe('MAC02:00:00:00:01:00VLAN100, priority 3Spoof checkonTrustonLink stateautoTX ratemax no limit, min noneQuery RSSnot reported');
  });

  it('says "none set" for a VF without a MAC, an 802.1ad VLAN and a rate limit', () => {
    render(<VfSettings config={{ ...configured, mac: null, vlan: 7, qos: 0, vlanProtocol: '802.1ad', maxTxRateMbps: 100 }} pfHasNetdev />);
    const text = document.querySelector('dl')!.textContent;
    expect(text).toContain('MACnone set');
    expect(text).toContain('VLAN7 (802.1ad)');
    expect(text).toContain('max 100 Mbit/s');
  });

  it('explains a missing config: a PF without a net interface has none, another did not report it', () => {
    render(<VfSettings config={null} pfHasNetdev={false} />);
    expect(document.body.textContent).toContain('the PF has no net interface');
    cleanup();
    render(<VfSettings config={null} pfHasNetdev />);
    expect(document.body.textContent).toContain('did not report this VF’s settings');
  });
});
