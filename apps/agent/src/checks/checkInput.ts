import type { Check, Topology } from '@vfmap/model';
import type { HostFiles } from './hostFiles';

/** What every check gets: the topology the agent scanned already, and reads for what it lacks. */
export interface CheckInput {
  files: HostFiles;
  topology: Topology;
}

export type CheckRun = (input: CheckInput) => Check[];
