/**
 * A tree captured elsewhere has no pci.ids: name its devices from this machine's. Apart from the
 * scanner so that `vfmap scan` does not load the worker and fingerprint code with it.
 */
export function pciIdsRootsFor(root: string): string[] {
  return root === '/' ? ['/'] : [root, '/'];
}
