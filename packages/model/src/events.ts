import { z } from 'zod';
import { PciAddress } from './pciAddress';

export const TopologyChangedEvent = z.object({
  type: z.literal('topology.changed'),
  host: z.string(),
  etag: z.string(),
  reason: z.enum(['operation', 'external', 'startup']),
  at: z.string(),
});

export const OperationStartedEvent = z.object({
  type: z.literal('operation.started'),
  host: z.string(),
  operationId: z.string(),
  kind: z.enum(['numvfs', 'assign', 'release']),
  target: PciAddress,
  at: z.string(),
});

export const OperationFinishedEvent = z.object({
  type: z.literal('operation.finished'),
  host: z.string(),
  operationId: z.string(),
  kind: z.enum(['numvfs', 'assign', 'release']),
  target: PciAddress,
  result: z.enum(['ok', 'refused', 'failed', 'partial']),
  detail: z.string().optional(),
  at: z.string(),
});

export const VfmapEvent = z.discriminatedUnion('type', [TopologyChangedEvent, OperationStartedEvent, OperationFinishedEvent]);
export type VfmapEvent = z.infer<typeof VfmapEvent>;
