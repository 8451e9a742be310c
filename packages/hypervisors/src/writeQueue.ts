/**
 * Runs the functions it is given one after another. An adapter's writes read a config,
 * decide (a free hostpci index, "already assigned?"), then write; two of them interleaved
 * would decide on the same stale read. The agent locks per PF, so two VFs of different PFs
 * can be given to one VM at the same moment; this queue keeps their read-decide-write whole.
 */
export type WriteQueue = <T>(fn: () => Promise<T>) => Promise<T>;

export function createWriteQueue(): WriteQueue {
  let tail: Promise<unknown> = Promise.resolve();
  return <T>(fn: () => Promise<T>): Promise<T> => {
    const result = tail.then(fn, fn);
    tail = result.catch(() => undefined);
    return result;
  };
}
