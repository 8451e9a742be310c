/**
 * A simulated kernel over a generated tree: a sriov_numvfs write creates or removes VF
 * directories and links as drivers/pci/iov.c does, and refuses with the same errno.
 * Structurally a `Kernel` of @vfmap/sysfs (writeAttribute(path, value), throwing errors with `code`).
 */
export function createSimKernel(_root: string): { writeAttribute(path: string, value: string): void } {
  throw new Error('createSimKernel: not implemented yet');
}
