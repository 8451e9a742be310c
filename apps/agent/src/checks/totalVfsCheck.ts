import type { Check } from '@vfmap/model';
import type { CheckRun } from './checkInput';
import { NOMINAL_TOTAL_VFS } from './nominalTotalVfs';
import { capabilityText, readSriovCapability } from './readSriovCapability';

const MELLANOX = '15b3';

/**
 * totalvfs below what the card can do: sriov_totalvfs against the card's nominal number (where
 * known) and against TotalVFs in its SR-IOV capability (where the config space is readable; a
 * driver's lower cap shows there).
 */
export const totalVfsCheck: CheckRun = ({ files, topology, capabilities = null }) => {
  const out: Check[] = [];
  for (const pf of topology.pfs) {
    const nominal = NOMINAL_TOTAL_VFS[`${pf.vendorId}:${pf.deviceId}`] ?? null;
    const { path, capability } = readSriovCapability(files, pf.address, capabilities);
    const inCapability = capability.kind === 'present' ? capability.totalVfs : null;
    const best = Math.max(nominal ?? 0, inCapability ?? 0);
    if (best === 0 || pf.totalVfs >= best) continue;
    const totalPath = files.paths.pciDeviceFile(pf.address, 'sriov_totalvfs');
    const evidence = [files.evidence(totalPath, String(pf.totalVfs))];
    if (capability.kind === 'present') evidence.push(files.evidence(path, capabilityText(capability)));
    const mellanox = pf.vendorId === MELLANOX;
    const limitedBy = inCapability !== null && pf.totalVfs < inCapability ? 'the driver' : 'the card\'s firmware';
    out.push({
      id: 'totalvfs-limited',
      scope: 'pf',
      target: pf.address,
      status: 'warn',
      title: `${pf.address} offers ${pf.totalVfs} VFs, below the ${best} this card can do (limited by ${limitedBy})`,
      evidence,
      why: `sriov_totalvfs is the most VFs the kernel will create. ${nominal !== null ? `This card (${pf.vendorId}:${pf.deviceId}) offers up to ${nominal} per PF; ` : ''}a lower number comes from a firmware setting or the driver's cap, not from the silicon. Fine if enough; otherwise it limits how many VMs can get a VF from this PF.`,
      fix: mellanox
        ? {
            proxmox: `mlxconfig -d ${pf.address} set SRIOV_EN=1 NUM_OF_VFS=${best} (from the mstflint package), then a cold boot (power off, not reboot).`,
            debian: `apt install mstflint; mstflint/mlxconfig -d ${pf.address} set SRIOV_EN=1 NUM_OF_VFS=${best}; power-cycle the host.`,
          }
        : {
            proxmox: 'Check the card\'s firmware settings (system setup → the NIC\'s HII menu: "Number of VFs" / "NParEP" or partitioning modes) and update the NVM with the vendor\'s tool; some drivers take a module parameter (max_vfs) that lowers the cap.',
            debian: 'As on Proxmox: the NIC\'s firmware menu or the vendor\'s NVM tool; look for max_vfs in /etc/modprobe.d/.',
          },
    });
  }
  return out;
};
