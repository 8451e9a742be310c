import { HypervisorCommandProblem, HypervisorStateProblem, HypervisorTimeoutProblem } from '@vfmap/model';

/**
 * What reading a host can fail with besides a bug: the scan asks the hypervisor which VM holds
 * which device, and its state may be unreadable, its tool may fail or hang. Every route that
 * reads the topology (the host list's first read, every write's fresh scan) can answer these.
 */
export const hostReadProblems = [HypervisorStateProblem, HypervisorCommandProblem, HypervisorTimeoutProblem];
