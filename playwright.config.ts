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
  projects: [
    // The desktop window the specs were written for. phone.spec.ts only runs in `phone`.
    { name: 'desktop', testIgnore: ['**/phone.spec.ts'] },
    // A laptop's window: the toolbar wraps, the graph has less room and the minimap must not cover a VM.
    // The specs of what the window's size changes (drawing, search, keyboard, axe, drift marks, history
    // and export, the writes' dialogs); the rest ask the agent the same things at any size.
    {
      name: 'laptop',
      testMatch: ['**/topology.spec.ts', '**/search.spec.ts', '**/keyboard.spec.ts', '**/a11y.spec.ts', '**/drift.spec.ts', '**/history-export.spec.ts', '**/writes.spec.ts', '**/prepare.spec.ts'],
      use: { viewport: { width: 1280, height: 720 } },
    },
    {
      name: 'phone',
      use: { viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true, deviceScaleFactor: 1 },
      // The desktop specs run here too (on the graph: e2e/agent.ts openHost takes its "Graph"; the
      // minimap and pan checks zoom in first, as the fitted graph fits the 390 px view, and pan
      // with a finger). Not here: the graph's keyboard walk (keyboard.spec.ts); phone.spec.ts walks
      // the list this width shows from the keyboard instead.
      grepInvert: /reaches the graph from the top in two stops/,
    },
  ],
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
