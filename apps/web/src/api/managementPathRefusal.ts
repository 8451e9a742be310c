import { ManagementPathProblem } from '@vfmap/model';
import type { ApiError } from './apiError';

/**
 * The agent refused a count change because the PF carries the host's default route (409
 * management-path): re-creating VFs resets some NICs' links, which would cut the host off. The
 * same request sent with force goes through.
 */
export interface ManagementPathRefusal {
  title: string;
  detail: string | null;
  /** from the interface holding the default route down to the PF's own: ["vmbr0", "ens1f0"]. */
  interfaces: string[];
}

/** The management-path refusal in a write's error, or null for any other outcome. */
export function managementPathRefusalOf(error: ApiError | null | undefined): ManagementPathRefusal | null {
  if (!error || error.failure.kind !== 'problem') return null;
  const parsed = ManagementPathProblem.safeParse(error.failure.problem);
  if (!parsed.success) return null;
  return { title: parsed.data.title, detail: parsed.data.detail ?? null, interfaces: parsed.data.interfaces };
}
