/**
 * What an errno from a sriov_numvfs write means, in a sentence an operator can act on. The
 * kernel's answers are those of sriov_numvfs_store() in drivers/pci/iov.c, as recorded on a real
 * 6.1 kernel in fixtures/realkernel/probe.txt.
 */
export function explainNumVfsErrno(errno: string, pf: string, value: string): string {
  switch (errno) {
    case 'EBUSY':
      // probe.txt: 'different non-zero value: write "3" ... -> EBUSY' ("N VFs already enabled. Disable before enabling M VFs").
      return `The kernel refused ${value} VFs on ${pf} because VFs are already enabled there (EBUSY): it changes a non-zero count only through 0. Something else changed the count at the same time; read the PF again and retry.`;
    case 'ERANGE':
      // probe.txt: 'more than totalvfs: write "9" -> ERANGE'.
      return `The kernel refused ${value} VFs on ${pf}: that is more than the PF supports (sriov_totalvfs) (ERANGE).`;
    case 'EINVAL':
      return `The kernel did not accept "${value}" as a VF count for ${pf} (EINVAL).`;
    case 'ENOENT':
      // probe.txt: 'enable with no PF driver ... -> ENOENT' and 'disable with no PF driver ... -> ENOENT'.
      return `No driver is bound to PF ${pf}, and the kernel changes VF counts only through the PF's driver (ENOENT). Bind the PF's driver (or pci-pf-stub) and try again.`;
    case 'EACCES':
    case 'EPERM':
      // probe.txt: 'non-root (uid 65534) ... Permission denied'.
      return `The agent may not write sriov_numvfs of ${pf} (${errno}): it must run as root.`;
    case 'ENOMEM':
    case 'ENOSPC':
      return `The kernel could not find resources for ${value} VFs on ${pf} (${errno}); the firmware often reserves too little MMIO space or too few bus numbers for VFs (dmesg says which).`;
    case 'EROFS':
      // A container's /sys is mounted read-only unless it is privileged or mounts the host's /sys read-write.
      return `sysfs is mounted read-only where the agent runs, so the VF count of ${pf} cannot be changed (EROFS). In a container, mount the host's /sys read-write.`;
    default:
      return `The kernel refused to write "${value}" to sriov_numvfs of ${pf} (${errno}); dmesg may say why.`;
  }
}
