import { MisdirectedProblem, PeerProblem, HypervisorCommandProblem, HypervisorStateProblem, HypervisorTimeoutProblem, SysfsProblem, UnavailableProblem } from '@vfmap/model';

/**
 * What reading a host can fail with besides a bug: the scan asks the hypervisor which VM holds
 * which device, and its state may be unreadable, its tool may fail or hang; sysfs itself may fail
 * a read the reader cannot turn into a warning (SysfsError, carried as itself from the scan
 * worker); and the scan worker may be gone while the agent stops (503). Every route that reads
 * the topology (the host list's first read, every write's fresh scan) can answer these.
 */
export const hostReadProblems = [HypervisorStateProblem, HypervisorCommandProblem, HypervisorTimeoutProblem, SysfsProblem, UnavailableProblem];

/** What a route for any host of the fleet can answer besides: the peer did not answer, or the loop guard stopped a forwarded request. */
export const fleetProblems = [PeerProblem, MisdirectedProblem];
