import type { Check, Topology } from '@vfmap/model';
import type { HostFiles } from './hostFiles';
import type { KnownCapabilities } from './readSriovCapability';

/** What every check gets: the topology the agent scanned already, and reads for what it lacks. */
export interface CheckInput {
  files: HostFiles;
  topology: Topology;
  /** The config spaces the root helper read (split); null: the checks read them themselves. */
  capabilities?: KnownCapabilities | null;
}

export type CheckRun = (input: CheckInput) => Check[];
