import { test as base } from '@playwright/test';
import { startDemo, type RunningDemo } from './demoProcess';

/**
 * A Playwright test with `demo(profile, env?)`: starts `vfmap demo` on a simulated host profile
 * (sriov-blocked, drift, iommu-off…) for this test, and stops every one it started afterwards.
 */
export const test = base.extend<{ demo: (profile: string, env?: Record<string, string>) => Promise<RunningDemo> }>({
  demo: async ({}, use) => {
    const started: RunningDemo[] = [];
    try {
      await use(async (profile, env) => {
        const demo = await startDemo(profile, env ? { env } : {});
        started.push(demo);
        return demo;
      });
    } finally {
      await Promise.all(started.map((d) => d.stop()));
    }
  },
});
