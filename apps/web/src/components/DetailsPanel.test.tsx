import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { buildGraphModel } from '../graph/graphModel';
import type { NodeId } from '../graph/nodeId';
import { labTopology } from '../test/fixtures';
import { DetailsPanel, type DetailsPanelProps } from './DetailsPanel';

function renderPanel(selected: NodeId | null, extra: Partial<DetailsPanelProps> = {}) {
  const model = buildGraphModel(labTopology());
  const props: DetailsPanelProps = { model, selected, onSelect: vi.fn(), onToggle: vi.fn(), isCollapsed: () => true, ...extra };
  render(<DetailsPanel {...props} />);
  return { ...props, panel: screen.getByRole('complementary', { name: 'details' }) };
}

describe('DetailsPanel', () => {
  it('shows the host, how to use the panel, and the reader\'s warnings when nothing is selected', () => {
    const { panel } = renderPanel(null);
    expect(within(panel).getByRole('heading')).toHaveTextContent('pve-lab-01.example.net');
    expect(panel).toHaveTextContent('6.8.12-4-pve');
    expect(panel).toHaveTextContent('1 warning from the reader');
    expect(panel).toHaveTextContent('could not read link speed of eno2');
  });

  it('shows every field the agent reports for a PF', () => {
    const { panel } = renderPanel('pf:0000:3b:00.0');
    const text = panel.textContent ?? '';
    for (const expected of [
      'E810-C port 0',
      '0000:3b:00.0',
      'Intel Corporation',
      '8086:1592',
      'Ethernet Controller E810-C for QSFP',
      '020000',
      'ice',
      '64 of 128',
      '1889',
      '16 / 1',
      'Drivers autoprobeyes',
      'ens1f0',
      'up 100 Gb/s',
      '46 free · 18 held of 64 VFs',
      'nfv-router',
      'k8s-worker-1',
    ]) {
      expect(text).toContain(expected);
    }
  });

  it('opens or collapses the PF from its details', async () => {
    const user = userEvent.setup();
    const { panel, onToggle } = renderPanel('pf:0000:3b:00.0');
    await user.click(within(panel).getByRole('button', { name: 'Show all 64 slots' }));
    expect(onToggle).toHaveBeenCalledWith('0000:3b:00.0');
  });

  it('lists a VM\'s VFs with their PF and pending state, and warns when it spans NUMA nodes', () => {
    const { panel } = renderPanel('vm:140');
    expect(panel).toHaveTextContent('VFs held (11)');
    expect(within(panel).getByText('0000:3b:04.4').closest('li')).toHaveTextContent('pending');
    cleanup();
    const router = renderPanel('vm:110').panel;
    expect(router).toHaveTextContent('Its devices sit on different sockets');
  });

  it('names a whole device a VM holds', () => {
    const { panel } = renderPanel('vm:130');
    expect(panel).toHaveTextContent('0000:86:00.0');
    expect(panel).toHaveTextContent('NVIDIA GA102GL [RTX A6000]');
  });

  it('shows a card with its ports and their free counts', () => {
    const { panel } = renderPanel('card:0000:af:00');
    expect(within(panel).getByRole('heading')).toHaveTextContent('Mellanox ConnectX-6 Dx');
    expect(panel).toHaveTextContent('0000:af:00.0 port 0');
    expect(panel).toHaveTextContent('13 free of 16');
  });

  it('shows a VF\'s settings as its PF\'s driver reports them, under their own heading', () => {
    const topology = labTopology();
    const vf = topology.pfs.flatMap((p) => p.vfs).find((v) => v.address === '0000:3b:12.3')!;
    vf.config = { mac: '02:00:00:00:01:00', vlan: 100, qos: 3, vlanProtocol: '802.1Q', spoofChk: false, trust: true, linkState: 'auto', maxTxRateMbps: 0, minTxRateMbps: 0, queryRss: null };
    const model = buildGraphModel(topology);
    render(<DetailsPanel model={model} selected={'vf:0000:3b:12.3'} onSelect={vi.fn()} onToggle={vi.fn()} isCollapsed={() => true} />);
    const panel = screen.getByRole('complementary', { name: 'details' });
    expect(within(panel).getByRole('heading', { name: 'Settings' })).toBeInTheDocument();
    const settings = within(panel).getByLabelText('VF settings');
    expect(settings).toHaveTextContent('02:00:00:00:01:00');
    expect(settings).toHaveTextContent('VLAN100, priority 3');
    expect(settings).toHaveTextContent('Spoof checkoff');
    cleanup();
  });

  it('gives the write path a place for its controls, and none without it', () => {
    renderPanel('vf:0000:3b:12.3');
    expect(document.querySelector('.details-actions')).toBeNull();
    cleanup();
    const actions = vi.fn((id: NodeId) => <span>controls for {id}</span>);
    renderPanel('vf:0000:3b:12.4', { actions });
    expect(screen.getByText('controls for vf:0000:3b:12.4')).toBeInTheDocument();
  });

  it('says when a running QEMU holds a VF that its config gives to another VM, or whose shared group it holds', () => {
    const topology = labTopology();
    const vf = topology.pfs.flatMap((p) => p.vfs).find((v) => v.holder)!;
    vf.holder = { ...vf.holder!, vmId: 'scratch', vmName: 'scratch', via: 'qemu pid 5150', source: 'running', configuredVmId: '101', ambiguous: true };
    render(<DetailsPanel model={buildGraphModel(topology)} selected={`vf:${vf.address}`} onSelect={vi.fn()} onToggle={vi.fn()} isCollapsed={() => true} />);
    const panel = screen.getByRole('complementary', { name: 'details' });
    expect(panel).toHaveTextContent('running; the config names VM 101');
    expect(panel).toHaveTextContent('group held, VF uncertain');
    cleanup();
  });
});
