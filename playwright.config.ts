import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests of the page in Debian's Chromium against the real agent over simulated hosts.
 * e2e/globalSetup.ts starts `vfmap demo` (profiles demo and large) on free ports; `npm run e2e`
 * builds the page and the agent first. Set VFMAP_E2E_DEMO_URL / VFMAP_E2E_LARGE_URL to run
 * against agents that are already running instead.
 */
export default defineConfig({
  testDir: './e2e',
  testMatch: '**/*.spec.ts',
  globalSetup: './e2e/globalSetup.ts',
  timeout: 30_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 2,
  forbidOnly: true,
  reporter: [['list']],
  use: {
    browserName: 'chromium',
    viewport: { width: 1600, height: 1000 },
    launchOptions: {
      executablePath: '/usr/bin/chromium',
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    },
  },
});
