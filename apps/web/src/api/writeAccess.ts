import { createContext, useContext } from 'react';
import type { TokenSource } from './withWriteToken';

/**
 * Whether and how this page may write: the token kept for the tab (asked for once, in a dialog,
 * when the first write needs it), and whether the agent said it is read-only.
 */
export interface WriteAccess extends TokenSource {
  /** the agent's words when it refused a write as read-only (--read-only); null until then. */
  readOnly: string | null;
  hasToken: boolean;
}

export const WriteAccessContext = createContext<WriteAccess | null>(null);

export function useWriteAccess(): WriteAccess {
  const access = useContext(WriteAccessContext);
  if (!access) throw new Error('useWriteAccess needs a <WriteAccessProvider> above it');
  return access;
}
