import { cleanup, render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { buildGraphModel } from '../graph/graphModel';
import type { NodeId } from '../graph/nodeId';
import { driftTopology, labTopology, labVf } from '../test/fixtures';
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
    expect(panel).toHaveTextContent(
      "Its running process holds it, while the configuration of VM 101 (web-01) names it. The process holds the device's whole IOMMU group, which others share: it may hold another member instead.",
    );
    cleanup();
  });

  it("explains a VF's drift: the title, the VMs by name, why, the fix and the evidence", async () => {
    const onSelect = vi.fn();
    render(<DetailsPanel model={buildGraphModel(driftTopology())} selected={`vf:${labVf.cx6p0(4)}`} onSelect={onSelect} onToggle={vi.fn()} isCollapsed={() => true} />);
    const section = screen.getByRole('region', { name: 'Config and reality differ' });
    const item = within(section).getByRole('listitem');
    expect(item).toHaveAttribute('data-drift-kind', 'holds-a-different-vf');
    expect(item).toHaveTextContent(`warning web-01 holds ${labVf.cx6p0(4)}, which nfv-router's config names`);
    expect(item).toHaveTextContent('VM 101 web-01 · configured for VM 110 nfv-router');
    expect(item).toHaveTextContent('The mapping pool gave web-01 this VF');
    expect(item).toHaveTextContent('Fix: Give nfv-router another VF of the pool, or stop web-01.');
    const rows = within(within(item).getByRole('table', { name: 'Evidence' })).getAllByRole('row');
    expect(rows.map((r) => r.textContent)).toEqual([
      'Read fromValue',
      `/run/qemu-server/pci-id-reservations${labVf.cx6p0(4)} 101 pid:4242`,
      `/etc/pve/qemu-server/110.conf` + `hostpci6: ${labVf.cx6p0(4)}`,
    ]);
    // The holder line says the same in one statement: the live claim, and whose config names it.
    const panel = screen.getByRole('complementary', { name: 'details' });
    expect(panel).toHaveTextContent('Held byVM 101 web-01 via hostpci6 (running)Its running process holds it, while the configuration of VM 110 (nfv-router) names it.');
    await userEvent.setup().click(within(item).getByRole('button', { name: 'VM 110 nfv-router' }));
    expect(onSelect).toHaveBeenCalledWith('vm:110');
  });

  it("lists a collapsed PF's VF findings with a link to each VF", async () => {
    const onSelect = vi.fn();
    render(<DetailsPanel model={buildGraphModel(driftTopology())} selected="pf:0000:3b:00.0" onSelect={onSelect} onToggle={vi.fn()} isCollapsed={() => true} />);
    const section = screen.getByRole('region', { name: 'Config and reality differ' });
    expect(within(section).getAllByRole('listitem').map((li) => li.dataset.driftKind)).toEqual(['held-not-configured', 'configured-not-held']);
    await userEvent.setup().click(within(section).getByRole('button', { name: `Show ${labVf.e810p0(21)} in the graph` }));
    expect(onSelect).toHaveBeenCalledWith(`vf:${labVf.e810p0(21)}`);
  });

  it('lists the findings about a VM, and none on a VF without drift', () => {
    render(<DetailsPanel model={buildGraphModel(driftTopology())} selected="vm:101" onSelect={vi.fn()} onToggle={vi.fn()} isCollapsed={() => true} />);
    const section = screen.getByRole('region', { name: 'Config and reality differ' });
    expect(within(section).getAllByRole('listitem').map((li) => li.dataset.driftKind)).toEqual(['group-shared-with-another-vm', 'held-not-configured', 'holds-a-different-vf']);
    cleanup();
    render(<DetailsPanel model={buildGraphModel(driftTopology())} selected={`vf:${labVf.e810p0(0)}`} onSelect={vi.fn()} onToggle={vi.fn()} isCollapsed={() => true} />);
    expect(screen.queryByRole('region', { name: 'Config and reality differ' })).toBeNull();
  });
});
