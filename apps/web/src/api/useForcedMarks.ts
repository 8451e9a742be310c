import type { NumVfsResult, Topology } from '@vfmap/model';
import { useMutationState } from '@tanstack/react-query';
import { useEffect, useMemo, useRef, useState } from 'react';
import { loadMarks, marksOfForcedChange, marksStillStanding, mergeMarks, saveMarks, type ForcedMark } from '../graph/forcedMarks';
import { writeKeys } from './useWrites';

/**
 * The VFs of `host` a forced count change of this tab re-created under a VM, by address, until
 * their holder is reconciled (see ForcedMark). Kept in sessionStorage per host, so a reload or a
 * trip to another host keeps them. The host page is mounted per host (keyed), so `host` never
 * changes under one instance.
 */
const NO_MARKS: ForcedMark[] = [];

export function useForcedMarks(host: string, topology: Topology | undefined): ReadonlyMap<string, ForcedMark> {
  // Read after the first paint: the first touch of sessionStorage costs tens of milliseconds.
  const [marks, setMarks] = useState<ForcedMark[]>(NO_MARKS);
  const loaded = useRef(false);
  useEffect(() => {
    const stored = loadMarks(host);
    loaded.current = true;
    if (stored.length > 0) setMarks((now) => mergeMarks(stored, now));
  }, [host]);
  const seen = useRef(new Set<number>());

  const results = useMutationState({
    filters: { mutationKey: [...writeKeys.host(host), 'numvfs'], status: 'success' },
    select: (m) => ({ id: m.mutationId, data: m.state.data as NumVfsResult, at: new Date(m.state.submittedAt).toISOString() }),
  });

  useEffect(() => {
    const fresh = results.filter((r) => !seen.current.has(r.id));
    if (fresh.length === 0) return;
    for (const r of fresh) seen.current.add(r.id);
    const added = fresh.flatMap((r) => (Array.isArray(r.data?.forced) ? marksOfForcedChange(r.data, r.at) : []));
    if (added.length > 0) setMarks((old) => mergeMarks(old, added));
  }, [results]);

  useEffect(() => {
    if (!topology) return;
    setMarks((old) => {
      if (old.length === 0) return old;
      const standing = marksStillStanding(old, topology);
      return standing.length === old.length ? old : standing;
    });
  }, [topology]);

  // Nothing to write before the stored marks are read (that would wipe them), nor while none ever were.
  const saved = useRef<readonly ForcedMark[]>(NO_MARKS);
  useEffect(() => {
    if (!loaded.current || marks === saved.current) return;
    saved.current = marks;
    saveMarks(host, marks);
  }, [host, marks]);

  return useMemo(() => new Map(marks.map((m) => [m.vf, m] as const)), [marks]);
}
