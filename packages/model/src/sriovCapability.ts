import { z } from 'zod';

/**
 * A PCI function's SR-IOV extended capability as its config space shows it (what `lspci -vvv`
 * prints as "Single Root I/O Virtualization"): facts only. Root reads the whole config space; any
 * other user gets its first 64 bytes, which is `unreadable` (the root helper reads it in the
 * privilege split, and the HTTP side parses its answer with this schema).
 */
export const SriovCapability = z.discriminatedUnion('kind', [
  z.strictObject({ kind: z.literal('unreadable'), bytes: z.number().int().nonnegative().describe('bytes of config space that could be read') }),
  z.strictObject({ kind: z.literal('absent') }),
  z.strictObject({
    kind: z.literal('present'),
    offset: z.number().int().min(0x100).max(0xffc).describe('where the capability starts in the extended config space'),
    initialVfs: z.number().int().min(0).max(65535),
    totalVfs: z.number().int().min(0).max(65535).describe('TotalVFs of the capability: 0 when firmware switched SR-IOV off'),
  }),
]);
export type SriovCapability = z.infer<typeof SriovCapability>;
