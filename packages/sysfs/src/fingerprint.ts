/**
 * A cheap summary of what can change under a scanned topology: the device list, each PF's
 * sriov_numvfs, driver links and net interfaces. Equal fingerprints mean the cached topology holds.
 */
export function readFingerprint(_root = '/'): string {
  throw new Error('readFingerprint: not implemented yet');
}
