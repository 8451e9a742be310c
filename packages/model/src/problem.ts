import { z } from 'zod';
import {
  InternalProblem,
  InvalidInputProblem,
  MalformedRequestProblem,
  MisdirectedProblem,
  PeerProblem,
  PreconditionFailedProblem,
  ReadOnlyProblem,
  UnauthorizedProblem,
  UnavailableProblem,
  UnknownResourceProblem,
  UnreadableBodyProblem,
} from './agentProblems';
import {
  HypervisorCommandProblem,
  HypervisorConflictProblem,
  HypervisorInvalidRequestProblem,
  HypervisorStateProblem,
  HypervisorTimeoutProblem,
  HypervisorUnknownVmProblem,
  HypervisorUnsupportedProblem,
} from './hypervisorProblems';
import { AuthFailuresProblem, EventStreamsFullProblem } from './exposureProblems';
import { KernelWriteHungProblem, NoKernelProblem, NumVfsWriteRefusedProblem, PartialProblem, StepsStoppedProblem, SysfsProblem, VfDriverFailedProblem, VfDriverPartialProblem } from './kernelProblems';
import { ProblemType, type ProblemTypeUri } from './problemBase';
import { VfSettingRefusedProblem } from './vfSettingProblems';
import {
  CountOutOfRangeProblem,
  IommuGroupSharedProblem,
  NoIommuGroupProblem,
  NoNetInterfaceProblem,
  NoVfSettingsProblem,
  NoPermanentMacProblem,
  NotAPfProblem,
  NotAVfProblem,
  UnknownPfProblem,
  UnknownVfProblem,
  UnknownVmProblem,
  VfHeldProblem,
  VfNotHeldProblem,
  VfHeldByProcessProblem,
  VfsHeldProblem,
  VfInUseProblem,
  DriverNotLoadedProblem,
  ManagementPathProblem,
} from './refusalProblems';

/*
 * One schema per problem type. A type with several causes is the union of their variants; a
 * variant that adds no field comes last, since the first variant that parses wins and drops
 * fields it does not know.
 */

export const NotFoundProblem = z.union([UnknownPfProblem, UnknownVfProblem, UnknownVmProblem, HypervisorUnknownVmProblem, UnknownResourceProblem]);
export const BadRequestProblem = z.union([HypervisorInvalidRequestProblem, InvalidInputProblem, UnreadableBodyProblem, MalformedRequestProblem]);
export const RefusedProblem = z.union([DriverNotLoadedProblem, NotAPfProblem, CountOutOfRangeProblem, NotAVfProblem, IommuGroupSharedProblem, NoIommuGroupProblem, NoNetInterfaceProblem, NoVfSettingsProblem, NoPermanentMacProblem, HypervisorUnsupportedProblem]);
export const ConflictProblem = z.union([VfInUseProblem, VfsHeldProblem, ManagementPathProblem, VfHeldByProcessProblem, VfHeldProblem, VfNotHeldProblem, HypervisorConflictProblem]);
export const KernelProblem = z.union([VfDriverFailedProblem, KernelWriteHungProblem, VfSettingRefusedProblem, NumVfsWriteRefusedProblem, NoKernelProblem, SysfsProblem]);
export const HypervisorProblem = z.union([HypervisorStateProblem, HypervisorCommandProblem, HypervisorTimeoutProblem]);
export const ServiceUnavailableProblem = z.union([EventStreamsFullProblem, UnavailableProblem]);

/** The schema of each problem type. */
export const problemTypeSchemas = {
  [ProblemType.notFound]: NotFoundProblem,
  [ProblemType.badRequest]: BadRequestProblem,
  [ProblemType.unauthorized]: UnauthorizedProblem,
  [ProblemType.readOnly]: ReadOnlyProblem,
  [ProblemType.refused]: RefusedProblem,
  [ProblemType.conflict]: ConflictProblem,
  [ProblemType.kernel]: KernelProblem,
  [ProblemType.partial]: z.union([VfDriverPartialProblem, StepsStoppedProblem, PartialProblem]),
  [ProblemType.hypervisor]: HypervisorProblem,
  [ProblemType.unavailable]: ServiceUnavailableProblem,
  [ProblemType.internal]: InternalProblem,
  [ProblemType.peer]: PeerProblem,
  [ProblemType.misdirected]: MisdirectedProblem,
  [ProblemType.preconditionFailed]: PreconditionFailedProblem,
  [ProblemType.tooManyFailures]: AuthFailuresProblem,
} as const satisfies Record<ProblemTypeUri, z.ZodType>;

/**
 * RFC 9457 problem details as the agent sends them: a union discriminated by `type` (and within a
 * type by `reason` or `code`). It is a z.union rather than z.discriminatedUnion because a type's
 * schema is itself a union of variants, which z.discriminatedUnion does not take; each option
 * still fails at its `type` literal first. A problem this code does not know parses as
 * ProblemAnswer only.
 */
export const Problem = z.union([
  NotFoundProblem,
  BadRequestProblem,
  UnauthorizedProblem,
  ReadOnlyProblem,
  RefusedProblem,
  ConflictProblem,
  KernelProblem,
  VfDriverPartialProblem,
  StepsStoppedProblem,
  PartialProblem,
  HypervisorProblem,
  ServiceUnavailableProblem,
  InternalProblem,
  PeerProblem,
  MisdirectedProblem,
  PreconditionFailedProblem,
  AuthFailuresProblem,
]);
export type Problem = z.infer<typeof Problem>;

/** A problem variant: one cause, its statuses and its fields (a z.object, so a reader can list them). */
export type ProblemVariant = (typeof problemVariants)[keyof typeof problemVariants];

/** Every variant by name: what the OpenAPI document and docs/api.md call them. */
export const problemVariants = {
  UnknownResourceProblem,
  UnknownPfProblem,
  UnknownVfProblem,
  UnknownVmProblem,
  HypervisorUnknownVmProblem,
  InvalidInputProblem,
  UnreadableBodyProblem,
  MalformedRequestProblem,
  HypervisorInvalidRequestProblem,
  UnauthorizedProblem,
  ReadOnlyProblem,
  NotAPfProblem,
  CountOutOfRangeProblem,
  NotAVfProblem,
  IommuGroupSharedProblem,
  NoIommuGroupProblem,
  NoNetInterfaceProblem,
  NoVfSettingsProblem,
  DriverNotLoadedProblem,
  NoPermanentMacProblem,
  HypervisorUnsupportedProblem,
  VfInUseProblem,
  VfsHeldProblem,
  ManagementPathProblem,
  VfHeldProblem,
  VfNotHeldProblem,
  VfHeldByProcessProblem,
  HypervisorConflictProblem,
  KernelWriteHungProblem,
  VfSettingRefusedProblem,
  NumVfsWriteRefusedProblem,
  NoKernelProblem,
  SysfsProblem,
  VfDriverFailedProblem,
  VfDriverPartialProblem,
  StepsStoppedProblem,
  PartialProblem,
  HypervisorStateProblem,
  HypervisorCommandProblem,
  HypervisorTimeoutProblem,
  EventStreamsFullProblem,
  UnavailableProblem,
  InternalProblem,
  PeerProblem,
  MisdirectedProblem,
  PreconditionFailedProblem,
  AuthFailuresProblem,
} as const;
