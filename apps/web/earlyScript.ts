import type { Plugin } from 'vite';

/**
 * Builds `entry` as a module script of its own and puts it in index.html before the app's: the
 * browser runs it as soon as it and its imports are in, while the much larger app bundle is still
 * loading and compiling. (Vite would otherwise fold every module script of the page into one
 * entry, run only once all of it is in.) The app imports the same module, so it runs once.
 */
export function earlyScript(name: string, entry: string): Plugin {
  return {
    name: 'vfmap-early-script',
    apply: 'build',
    config(config) {
      const input = config.build?.rollupOptions?.input ?? 'index.html';
      const inputs = typeof input === 'string' ? { index: input } : Array.isArray(input) ? Object.fromEntries(input.map((i, n) => [`entry${n}`, i])) : input;
      return { build: { rollupOptions: { input: { ...inputs, [name]: entry } } } };
    },
    transformIndexHtml: {
      order: 'post',
      handler(html, ctx) {
        const chunk = Object.values(ctx.bundle ?? {}).find((c) => c.type === 'chunk' && c.isEntry && c.name === name);
        if (!chunk) throw new Error(`vfmap-early-script: no entry chunk named ${name} in the bundle`);
        const tag = `<script type="module" crossorigin src="/${chunk.fileName}"></script>`;
        const first = html.indexOf('<script type="module"');
        if (first < 0) throw new Error('vfmap-early-script: index.html has no module script to go before');
        return html.slice(0, first) + tag + '\n    ' + html.slice(first);
      },
    },
  };
}
