import type { Check, HostPersistence, Topology } from '@vfmap/model';
import type { HostFiles } from './hostFiles';

/**
 * VF counts or settings that nothing keeps across a reboot, from the persistence view (GET
 * …/persistence): the kernel forgets sriov_numvfs and every VF setting at boot, so what is live
 * now and kept by no file or unit is gone after the next one. Only the PFs the view says so of.
 */
export function notKeptCheck(files: HostFiles, topology: Topology, persistence: HostPersistence): Check[] {
  const out: Check[] = [];
  const live = new Map(topology.pfs.map((pf) => [pf.address, pf]));
  for (const p of persistence.pfs) {
    if (!p.lostAtReboot) continue;
    const pf = live.get(p.pf);
    const numVfs = pf?.numVfs ?? 0;
    const what = p.desired === null ? `${numVfs} VF${numVfs === 1 ? '' : 's'}` : p.keptBy.notKept.length > 0 ? `${p.keptBy.notKept.join(', ')}` : `what vfmap keeps (${p.desired.count} VFs)`;
    out.push({
      id: 'not-kept',
      scope: 'pf',
      target: p.pf,
      status: 'warn',
      title: `${p.pf}: ${what} ${p.desired === null || p.keptBy.notKept.length === 0 ? 'are' : 'is'} lost at reboot: nothing keeps ${p.desired === null ? 'them' : 'it'} at boot`,
      evidence: [
        files.evidence(files.paths.pciDeviceFile(p.pf, 'sriov_numvfs'), String(numVfs)),
        { path: p.keptBy.path ?? 'boot configuration (GET …/persistence)', value: p.keptBy.path === null ? 'nothing keeps this PF' : p.keptBy.written ? 'written' : 'not written yet' },
        ...p.differences.slice(0, 3).map((d) => ({ path: `desired ${d.what}`, value: `${d.desired}, live ${d.live}` })),
      ],
      why: 'The kernel keeps no VF count or VF setting across a reboot: after the next boot this PF comes up with no VFs (or default settings) and VMs configured with its VFs will not start, unless a .link file, a unit or a udev rule sets them again.',
      fix: {
        proxmox: `In vfmap: "Kept across reboots" on the PF (POST /api/v1/hosts/<host>/pfs/${p.pf}/persist) writes a systemd .link file with [SR-IOV] VirtualFunctions=; or by hand: /etc/systemd/network/70-<if>.link with [Match] PermanentMACAddress= and [Link] SR-IOVVirtualFunctions= (systemd 252+), then update-initramfs -u -k all.`,
        debian: `vfmap's "Kept across reboots" (POST …/pfs/${p.pf}/persist), or a .link file with SR-IOVVirtualFunctions= (systemd 252, bookworm) and update-initramfs -u; older systems: a udev rule writing ATTR{device/sriov_numvfs}.`,
      },
    });
  }
  return out;
}
