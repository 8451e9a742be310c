import { defineConfig } from 'vitest/config';
import react from '@vitejs/plugin-react';
import { earlyScript } from './earlyScript.ts';
import { precompress } from './precompress.ts';

export default defineConfig({
  root: import.meta.dirname,
  plugins: [react(), earlyScript('early', 'src/earlyAnswers.ts'), precompress()],
  // One chunk on purpose: the graph is the page, and nothing could load later. The budget that
  // matters is the gzip size (docs/benchmarks.md: < 250 KB; about 160 KB now), not Vite's 500 kB raw.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 800 },
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
