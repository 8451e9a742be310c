/** Runs at most `max` tasks at once; the others wait their turn in order. */
export type Limiter = <T>(task: () => Promise<T>) => Promise<T>;

export function createLimiter(max: number): Limiter {
  let running = 0;
  const waiting: Array<() => void> = [];
  const next = () => {
    running -= 1;
    waiting.shift()?.();
  };
  return <T>(task: () => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      const run = () => {
        running += 1;
        task().then(resolve, reject).finally(next);
      };
      if (running < max) run();
      else waiting.push(run);
    });
}
