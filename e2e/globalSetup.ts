import { existsSync } from 'node:fs';
import { cli, startDemo } from './demoProcess';

// scripts/benchPage.ts starts its demo through here.
export { startDemo, type RunningDemo } from './demoProcess';

export default async function globalSetup(): Promise<() => Promise<void>> {
  const wanted: [string, string][] = [
    ['VFMAP_E2E_DEMO_URL', 'demo'],
    ['VFMAP_E2E_LARGE_URL', 'large'],
  ];
  const missing = wanted.filter(([env]) => !process.env[env]);
  // writes.spec.ts starts a demo of its own for each test, so the CLI must exist even when
  // both read-only agents are given.
  if (!existsSync(cli)) {
    throw new Error(`${cli} does not exist: run "npm run build" first (npm run e2e does)`);
  }
  const started = await Promise.all(missing.map(([, profile]) => startDemo(profile)));
  // Workers inherit the environment globalSetup leaves behind.
  missing.forEach(([env], i) => {
    process.env[env] = started[i]!.url;
  });
  return async () => {
    await Promise.all(started.map((d) => d.stop()));
  };
}
