import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { planNumVfs } from '@vfmap/model';
import { labTopology } from '../../test/fixtures';
import type { ManagementPathRefusal } from '../../api/managementPathRefusal';
import { NumVfsDialog } from './NumVfsDialog';

function renderDialog(pf: string, count: number, pfLabel: string, refusal: ManagementPathRefusal | null = null) {
  const onConfirm = vi.fn();
  const onCancel = vi.fn();
  const topology = labTopology();
  render(<NumVfsDialog plan={planNumVfs(topology.pfs.find((p) => p.address === pf)!, count, topology.vms)} pfLabel={pfLabel} onConfirm={onConfirm} onCancel={onCancel} refusal={refusal} />);
  return { dialog: screen.getByRole('dialog'), onConfirm, onCancel, user: userEvent.setup() };
}

describe('NumVfsDialog', () => {
  it('names a running process that holds a VF apart from the VM whose configuration names it, and counts the VF once', () => {
    const topology = labTopology();
    const pf = topology.pfs.find((p) => p.address === '0000:3b:00.1')!;
    // build-runner (120, stopped) names two VFs; a QEMU started by hand holds the first now.
    const vf = pf.vfs.find((v) => v.holder?.vmId === '120')!;
    vf.holder = { vmId: 'scratch', vmName: 'scratch', via: 'qemu pid 5150', pending: false, pendingChange: null, source: 'running', configuredVmId: '120' };
    render(<NumVfsDialog plan={planNumVfs(pf, 0, topology.vms)} pfLabel="E810-C port 1" onConfirm={vi.fn()} onCancel={vi.fn()} />);
    const losses = within(screen.getByRole('dialog')).getByRole('region', { name: 'VMs that lose a VF' });
    expect(pf.vfs.filter((v) => v.holder !== null)).toHaveLength(2);
    expect(within(losses).getByRole('heading')).toHaveTextContent('2 VMs lose 2 VFs');
    const process = losses.querySelector('[data-vm-loss="scratch"]')!;
    expect(process).toHaveTextContent('scratch running process · no configuration of it names it');
    expect(process).toHaveTextContent(`VF ${vf.index} (qemu pid 5150): the process loses it now.`);
    expect(losses.querySelector('[data-vm-loss="120"]')).toHaveTextContent('gone afterwards. Its configuration keeps naming addresses that no longer exist');
  });

  it('says that a change between two non-zero counts goes through 0 and destroys every VF', () => {
    const { dialog } = renderDialog('0000:3b:00.0', 8, 'E810-C port 0');
    expect(within(dialog).getByRole('heading', { level: 2 })).toHaveTextContent('Change E810-C port 0 from 64 to 8 VFs');
    const steps = within(dialog).getByRole('region', { name: 'what the agent will do' });
    const items = within(steps).getAllByRole('listitem');
    expect(items[0]).toHaveTextContent('Write 0 to sriov_numvfs: the kernel removes all 64 VFs, VF 0–63 (0000:3b:02.0 … 0000:3b:09.7).');
    expect(items[1]).toHaveTextContent('Write 8: the kernel creates 8 new VFs, VF 0–7 (0000:3b:02.0 … 0000:3b:02.7).');
    expect(steps).toHaveTextContent(
      'The kernel changes a non-zero count only through 0, so every existing VF is destroyed, the 8 VFs that come back at the same addresses included: they are new devices',
    );
    expect(dialog).toHaveTextContent('Nothing has been written yet.');
  });

  it('names each VM that loses a VF, and whether the VF comes back at its address', () => {
    const { dialog } = renderDialog('0000:3b:00.0', 8, 'E810-C port 0');
    const losses = within(dialog).getByRole('region', { name: 'VMs that lose a VF' });
    expect(within(losses).getByRole('heading')).toHaveTextContent('4 VMs lose 18 VFs');
    const router = losses.querySelector('[data-vm-loss="110"]')!;
    expect(router).toHaveTextContent('nfv-router VM 110 · running');
    expect(router).toHaveTextContent('VF 0–3 (hostpci0, hostpci1, hostpci2 and hostpci3): back at the same addresses afterwards, as new devices.');
    expect(router).toHaveTextContent('The running VM loses them now and gets them again at its next start.');
    const k8s = losses.querySelector('[data-vm-loss="140"]')!;
    expect(k8s).toHaveTextContent('VF 10–20');
    expect(k8s).toHaveTextContent('gone afterwards. The running VM loses them now, and its configuration keeps naming addresses that no longer exist: it cannot start until those entries are removed.');
    expect(within(dialog).getByRole('region', { name: 'pending changes' })).toHaveTextContent(
      'VF 20 0000:3b:04.4 is named by k8s-worker-1\'s configuration as hostpci10, not yet in effect.',
    );
    expect(dialog).toHaveTextContent('The host loses 46 VF interfaces: ens1f0v7, ens1f0v8, ens1f0v9, ens1f0v21 and 42 more.');
  });

  it('writes nothing until the force box is ticked when VMs lose VFs, then confirms with force', async () => {
    const { dialog, onConfirm, user } = renderDialog('0000:3b:00.1', 0, 'E810-C port 1');
    expect(within(dialog).getByRole('heading', { level: 2 })).toHaveTextContent('Disable the 8 VFs of E810-C port 1');
    // A destructive dialog starts on Cancel, so Enter does not destroy anything.
    expect(within(dialog).getByRole('button', { name: 'Cancel' })).toHaveFocus();
    const confirm = within(dialog).getByRole('button', { name: 'Force: disable 8 VFs' });
    expect(confirm).toBeDisabled();
    const stopped = dialog.querySelector('[data-vm-loss="120"]')!;
    expect(stopped).toHaveTextContent('build-runner VM 120 · stopped');
    expect(stopped).toHaveTextContent('gone afterwards. Its configuration keeps naming addresses that no longer exist');
    await user.click(within(dialog).getByRole('checkbox', { name: /Destroy the VFs this VM holds anyway \(force\)/ }));
    await user.click(confirm);
    expect(onConfirm).toHaveBeenCalledWith(true);
  });

  it('enables VFs on a PF with none in one write, naming the addresses they will have', async () => {
    const { dialog, onConfirm, user } = renderDialog('0000:af:00.1', 4, 'ConnectX-6 Dx port 1');
    expect(within(dialog).getByRole('heading', { level: 2 })).toHaveTextContent('Enable 4 VFs on ConnectX-6 Dx port 1');
    expect(within(dialog).getByRole('listitem')).toHaveTextContent('Write 4 to sriov_numvfs: the kernel creates 4 new VFs, VF 0–3 (0000:af:02.2 … 0000:af:02.5).');
    expect(within(dialog).queryByRole('region', { name: 'VMs that lose a VF' })).toBeNull();
    expect(within(dialog).queryByRole('checkbox')).toBeNull();
    await user.click(within(dialog).getByRole('button', { name: 'Enable 4 VFs' }));
    expect(onConfirm).toHaveBeenCalledWith(false);
  });

  it('offers no confirm for a count the PF does not support', () => {
    const { dialog } = renderDialog('0000:af:00.1', 17, 'ConnectX-6 Dx port 1');
    expect(within(dialog).getByRole('alert')).toHaveTextContent('This change cannot be made0000:af:00.1 supports at most 16 VFs (sriov_totalvfs).');
    expect(within(dialog).getByRole('button', { name: 'Enable 17 VFs' })).toBeDisabled();
  });

  it('cancels with Escape', async () => {
    const { onCancel, onConfirm, user } = renderDialog('0000:af:00.1', 4, 'ConnectX-6 Dx port 1');
    await user.keyboard('{Escape}');
    expect(onCancel).toHaveBeenCalled();
    expect(onConfirm).not.toHaveBeenCalled();
  });

  it('keeps the page\'s shortcuts from reaching the page while it is open', async () => {
    const seen: string[] = [];
    const onKey = (e: KeyboardEvent) => seen.push(e.key);
    document.addEventListener('keydown', onKey);
    const { user } = renderDialog('0000:af:00.1', 4, 'ConnectX-6 Dx port 1');
    await user.keyboard('/');
    document.removeEventListener('keydown', onKey);
    expect(seen).toEqual([]);
  });

  it("after the agent refused the management PF's change, says why and sends it only forced", async () => {
    const refusal: ManagementPathRefusal = {
      title: "The PF carries the host's management path",
      detail: "0000:af:00.1 (ens3f1np1) carries the host's default route through vmbr0: changing its VF count from 0 to 2 can reset its link and cut the host off.",
      interfaces: ['vmbr0', 'ens3f1np1'],
    };
    const { dialog, onConfirm, user } = renderDialog('0000:af:00.1', 2, 'ConnectX-6 Dx port 1', refusal);
    expect(within(dialog).getByRole('alert')).toHaveTextContent("The agent refused: the PF carries the host's management path");
    expect(within(dialog).getByRole('alert')).toHaveTextContent('Default route: vmbr0 → ens3f1np1.');
    const confirm = within(dialog).getByRole('button', { name: 'Force: enable 2 VFs' });
    expect(confirm).toBeDisabled();
    const force = within(dialog).getByRole('checkbox');
    expect(force.closest('label')).toHaveTextContent('Change anyway (force), though the host may lose its connection through vmbr0 while the link resets.');
    await user.click(force);
    await user.click(confirm);
    expect(onConfirm).toHaveBeenCalledWith(true);
  });
});
