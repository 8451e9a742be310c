import { z } from 'zod';
import { OperationKind, OperationResult } from './operations';
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

export const VfmapEvent = z.discriminatedUnion('type', [TopologyChangedEvent, OperationStartedEvent, OperationFinishedEvent]);
export type VfmapEvent = z.infer<typeof VfmapEvent>;
