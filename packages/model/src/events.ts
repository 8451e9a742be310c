import { z } from 'zod';
import { OperationKind, OperationResult } from './operations';
import { HostStatus } from './fleet';
import { PciAddress } from './pciAddressSchema';

export const TopologyChangedEvent = z.object({
  type: z.literal('topology.changed'),
  host: z.string(),
  etag: z.string(),
  reason: z
    .enum(['operation', 'external', 'startup'])
    .describe('operation: an operation of this agent changed it; external: the periodic check saw the kernel or the hypervisor change behind its back'),
  at: z.string(),
});

export const OperationStartedEvent = z.object({
  type: z.literal('operation.started'),
  host: z.string(),
  operationId: z.string(),
  kind: OperationKind,
  target: PciAddress,
  at: z.string(),
});

export const OperationFinishedEvent = z.object({
  type: z.literal('operation.finished'),
  host: z.string(),
  operationId: z.string(),
  kind: OperationKind,
  target: PciAddress,
  result: OperationResult,
  detail: z.string().optional(),
  at: z.string(),
});

/** A multi-step operation (prepare, re-apply) finished one of its steps: what the page shows as progress. */
export const OperationProgressEvent = z.object({
  type: z.literal('operation.progress'),
  host: z.string(),
  operationId: z.string(),
  kind: OperationKind,
  target: PciAddress,
  step: z.number().int().min(1).describe('the step just finished, from 1'),
  of: z.number().int().min(1).describe('how many steps the operation has'),
  description: z.string(),
  at: z.string(),
});

/** A peer of the fleet answered again, stopped answering, or refused this agent (the fleet stream only). */
export const HostStatusEvent = z.object({
  type: z.literal('host.status'),
  host: z.string(),
  status: HostStatus,
  problem: z.string().nullable(),
  at: z.string(),
});

export const VfmapEvent = z.discriminatedUnion('type', [TopologyChangedEvent, OperationStartedEvent, OperationProgressEvent, OperationFinishedEvent, HostStatusEvent]);
export type VfmapEvent = z.infer<typeof VfmapEvent>;
