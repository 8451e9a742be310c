import { validatePreloaded, type PreloadedQueries } from './api/preloadedQueries';
import { takePreloadedJson } from './api/preloadedAnswers';
import { hostToOpen, routeFromUrl } from './hostChoice';

/**
 * How long the page waits for the answers public/preload.js asked for before it draws without
 * them. Usually they are in by the time the app's bundle has loaded; a page drawn once with its
 * data is faster than a loading state drawn first. An agent slower than this gets the loading
 * state after it.
 */
const PRELOAD_WAIT_MS = 300;

/**
 * A module script of its own (index.html loads it before the app): it brings the schemas and
 * checks the preloaded answers against them while the browser is still loading and compiling the
 * much larger app bundle, instead of after it. main.tsx awaits the result.
 */
export const earlyAnswers: Promise<PreloadedQueries> = (async () => {
  performance.mark('vfmap:early');
  const preloaded = window.__vfmapPreloaded;
  if (preloaded?.done) await Promise.race([preloaded.done, new Promise((resolve) => setTimeout(resolve, PRELOAD_WAIT_MS))]);
  performance.mark('vfmap:preloaded');
  const answers = validatePreloaded(
    (path) => takePreloadedJson(preloaded, new URL(path, window.location.origin).toString()),
    (list) => hostToOpen(list, routeFromUrl()),
  );
  performance.mark('vfmap:validated');
  return answers;
})();
