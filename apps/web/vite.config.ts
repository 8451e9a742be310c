import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { earlyScript } from './earlyScript.ts';
import { precompress } from './precompress.ts';
import { firstLoadChunks } from './firstLoadChunks.ts';
import { leaveOutJsonSchema } from './leaveOutJsonSchema.ts';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [
    react(),
    leaveOutJsonSchema(),
    earlyScript('early', 'src/earlyAnswers.ts'),
    firstLoadChunks([
      { name: 'early', entry: 'src/earlyAnswers.ts' },
      { name: 'index', entry: 'src/main.tsx' },
    ]),
    precompress(),
  ],
  // The first load is two chunks and the model's (firstLoadChunks.ts); what the first drawing
  // does not need comes later (src/lazy/lazyPart.ts). The budget is the first load's gzip size
  // (docs/benchmarks.md: under 160 KB), not Vite's 500 kB raw. Browsers that run the page have
  // <link rel=modulepreload>, so Vite's polyfill for it is left out.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 800, modulePreload: { polyfill: false } },
  server: { proxy: { '/api': 'http://127.0.0.1:7300', '/healthz': 'http://127.0.0.1:7300' } },
  test: {
    name: 'web',
    environment: 'jsdom',
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx'],
    setupFiles: ['./src/testSetup.ts'],
    // jsdom renders of the whole page run beside the real-kernel guests and the agent tests (2 workers):
    // on a loaded machine a page test takes several seconds, which the 5 s default turned into flakes.
    testTimeout: 20_000,
  },
});
