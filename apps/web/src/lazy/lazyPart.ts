import { createElement, lazy, Suspense, useState, type ComponentType, type ReactNode } from 'react';
import { PartNotLoaded } from './PartNotLoaded';

/**
 * A part of the page fetched after the first drawing, not with it: its module becomes a chunk of
 * its own that the first load does not download (docs/benchmarks.md, the script budget).
 *
 * Once its module is in, the part renders at once, like any component; before that it suspends
 * behind its own boundary, showing `fallback`. `preloadParts()` fetches every part: the page
 * calls it when the browser is idle after the first drawing, so a click on a VF rarely waits.
 * A chunk that cannot be fetched (the agent was upgraded while the page stayed open) shows
 * PartNotLoaded in its place, and the next mount tries again.
 */
export type LazyPart<P> = ComponentType<P> & { preload(): Promise<void> };

const loaders: (() => Promise<unknown>)[] = [];

export function lazyPart<P extends object>(name: string, load: () => Promise<ComponentType<P>>, fallback: ReactNode = null): LazyPart<P> {
  let loaded: ComponentType<P> | undefined;
  let pending: Promise<ComponentType<P>> | undefined;
  const fetchModule = (): Promise<ComponentType<P>> => {
    pending ??= load().then((component) => (loaded = component));
    pending.catch(() => (pending = undefined));
    return pending;
  };
  const deferred = () =>
    lazy(() =>
      fetchModule().then(
        (component) => ({ default: component }),
        (error: unknown) => {
          Deferred = deferred();
          return { default: (() => createElement(PartNotLoaded, { name, error })) as ComponentType<P> };
        },
      ),
    );
  let Deferred = deferred();
  function Part(props: P) {
    // Decided once per mount: switching from the suspending path to the loaded component later
    // would change the element type under React, which remounts the part and loses its state
    // (an open dialog, a form being filled).
    const [direct] = useState(() => loaded !== undefined);
    if (direct && loaded) return createElement(loaded, props);
    return createElement(Suspense, { fallback }, createElement(Deferred as ComponentType<P>, props));
  }
  Part.displayName = `Lazy(${name})`;
  loaders.push(fetchModule);
  return Object.assign(Part, { preload: () => fetchModule().then(() => undefined) });
}

/** Fetches every lazy part; resolves when all are in (or rejects with the first that failed). */
export async function preloadParts(): Promise<void> {
  await Promise.all(loaders.map((load) => load()));
}

/** Preloads the parts once the browser has nothing better to do (after the first drawing). */
export function preloadPartsWhenIdle(): void {
  const start = () => void preloadParts().catch(() => undefined);
  if (typeof requestIdleCallback === 'function') requestIdleCallback(start, { timeout: 2000 });
  else setTimeout(start, 200);
}
