import { z } from 'zod';
import { OperationKind, OperationResult } from './operations';
import { PciAddress } from './pciAddressSchema';

/** Who asked: the token (by a short id derived from it, never the token) and the peer address. */
export const AuditWho = z.object({
  principal: z
    .string()
    .describe('"token:<first 8 hex of its SHA-256>", the CLI command that wrote ("apply-desired"), or "unauthenticated" for a write refused at authentication'),
  address: z.string().nullable().describe('remote address of the HTTP client; null for the CLI'),
  forwardedBy: z
    .string()
    .optional()
    .describe('the agent (host id) that forwarded this write from its user, who showed it their own token; the principal is then that user'),
});
export type AuditWho = z.infer<typeof AuditWho>;

/** A PF as an audit entry records it around a numvfs change. */
export const AuditPfState = z.object({
  numVfs: z.number().int().nonnegative(),
  driver: z.string().nullable(),
  held: z.array(z.object({ vf: PciAddress, vmId: z.string() })).describe('its VFs that VM configurations name'),
  driversAutoprobe: z.boolean().nullable().optional().describe('sriov_drivers_autoprobe (kept around an autoprobe change)'),
});
export type AuditPfState = z.infer<typeof AuditPfState>;

/** A VF as an audit entry records it around an assignment change. */
export const AuditVfState = z.object({
  holder: z.object({ vmId: z.string(), vmName: z.string(), via: z.string(), pending: z.boolean() }).nullable(),
  driver: z.string().nullable().optional().describe('the bound driver (kept around a driver change)'),
  driverOverride: z.string().nullable().optional().describe('driver_override (kept around a driver change)'),
});
export type AuditVfState = z.infer<typeof AuditVfState>;

const AuditState = z.union([AuditPfState, AuditVfState]).nullable();

/**
 * How a write ended, as the audit keeps it: an operation's result, or one of the refusals of a
 * write that never became an operation — `unauthorized` (no token, or a wrong one) and
 * `rate-limited` (its address failed authentication too often; its token was not looked at).
 */
export const AuditResult = z.enum([...OperationResult.options, 'unauthorized', 'rate-limited']);
export type AuditResult = z.infer<typeof AuditResult>;

/** One line of `<stateDir>/audit.jsonl`: one operation, whatever its result, or one write refused at authentication. */
export const AuditEntry = z.object({
  id: z.string().describe('the operationId its events carry'),
  at: z.string().datetime({ offset: true }).describe('when the operation finished'),
  startedAt: z.string().datetime({ offset: true }),
  host: z.string(),
  who: AuditWho,
  operation: OperationKind,
  target: z
    .union([PciAddress, z.string().max(256)])
    .describe('the PF (numvfs) or VF (assign, release) address; for a write refused at authentication, the path parameter as sent (it was not validated)'),
  request: z.record(z.string(), z.unknown()).describe('the request body'),
  before: AuditState.describe('the target before (null when it was refused before it was read)'),
  after: AuditState.describe('the target as re-read afterwards (null when nothing was attempted)'),
  result: AuditResult,
  detail: z.string().optional().describe('why it was refused or failed, or what was done'),
  problem: z.object({ type: z.string(), status: z.number().int() }).catchall(z.unknown()).optional().describe('the problem the client got'),
});
export type AuditEntry = z.infer<typeof AuditEntry>;

/** GET /api/v1/hosts/:host/audit: the most recent entries, newest first. */
export const AuditPage = z.object({
  entries: z.array(AuditEntry),
  unreadable: z.number().int().nonnegative().describe('lines among the most recent that did not parse (a torn write after a crash) and were skipped'),
});
export type AuditPage = z.infer<typeof AuditPage>;
