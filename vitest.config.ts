import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    // Vitest's default is one worker less than the CPUs: one file at a time on a 2-core machine, which made
    // the suite as long as the sum of its files (the real-kernel guests and crash loops mostly wait on
    // QEMU and on the processes they kill).
    maxWorkers: 2,
    projects: [
      {
        test: {
          name: 'node',
          include: ['packages/*/src/**/*.test.ts', 'packages/*/test/**/*.test.ts', 'apps/agent/src/**/*.test.ts', 'scripts/**/*.test.ts', 'packaging/**/*.test.ts', 'apps/web/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 60_000,
        },
      },
      './apps/web/vite.config.ts',
    ],
  },
});
