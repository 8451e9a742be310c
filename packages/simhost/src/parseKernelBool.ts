/**
 * The kernel's kstrtobool() as sriov_drivers_autoprobe_store() calls it (lib/kstrtox.c, 6.1):
 * only the first character counts — 'y', 'Y', '1' → true; 'n', 'N', '0' → false — or "on"/"off"
 * by their second character. Anything else is EINVAL (probe.txt: "maybe" → EINVAL).
 */
export function parseKernelBool(text: string): boolean | null {
  switch (text[0]) {
    case 'y':
    case 'Y':
    case '1':
      return true;
    case 'n':
    case 'N':
    case '0':
      return false;
    case 'o':
    case 'O':
      if (text[1] === 'n' || text[1] === 'N') return true;
      if (text[1] === 'f' || text[1] === 'F') return false;
      return null;
    default:
      return null;
  }
}
