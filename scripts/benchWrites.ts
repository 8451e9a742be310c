/**
 * The conflicting-writes figure of `npm run bench`: 20 count changes on one PF sent at once to the
 * demo (`vfmap demo`, the bundled CLI in its own process, the simulated kernel at the real one's
 * pace), first all with the one topology ETag the page would have drawn with (If-Match), then,
 * for contrast, without it (a CLI or curl: each replaces the last). Prints, never asserts: how
 * many were applied in each queue turn (one audit entry per turn, in the order the turns ran),
 * the 5xx count, the times, and whether the audit's order holds (the applied change first, every
 * later turn refused on the ETag the applied change left, finish times in order).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { AuditPage, type AuditEntry } from '@vfmap/model';

const root = join(import.meta.dirname, '..');
const TOKEN = 'bench-token-0123456789abcdef';
const PF = '0000:af:00.1';
const N = 20;

function startDemo(): Promise<{ child: ChildProcess; url: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [join(root, 'apps/agent/dist/vfmap.js'), 'demo', '--listen', '127.0.0.1:0', '--log-level', 'warn'], {
      cwd: root,
      env: { ...process.env, VFMAP_TOKEN: TOKEN },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const m = /Open (http\S+?)\/?\n/.exec(out);
      if (m) resolve({ child, url: m[1]! });
    });
    child.on('exit', (code) => reject(new Error(`vfmap demo exited ${code}: ${out}`)));
  });
}

async function round(url: string, withIfMatch: boolean): Promise<void> {
  const api = (path: string) => `${url}/api/v1/hosts/${hostId}${path}`;
  const topo = await fetch(api('/topology'));
  await topo.arrayBuffer();
  const etag = topo.headers.get('etag')!;
  const before = AuditPage.parse(await (await fetch(api('/audit?limit=1'))).json()).entries[0]?.id;
  const counts = Array.from({ length: N }, (_, i) => 5 + (i % 12));
  const start = performance.now();
  const finished: number[] = [];
  const statuses = await Promise.all(
    counts.map(async (count) => {
      const headers: Record<string, string> = { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' };
      if (withIfMatch) headers['if-match'] = etag;
      const res = await fetch(api(`/pfs/${PF}/numvfs`), { method: 'PUT', headers, body: JSON.stringify({ count }) });
      await res.arrayBuffer();
      finished.push(performance.now() - start);
      return res.status;
    }),
  );
  const total = performance.now() - start;
  const etagAfter = (await fetch(api('/topology'))).headers.get('etag');

  // One audit entry per queue turn, appended in the order the turns ran; newest first in the page.
  const page = AuditPage.parse(await (await fetch(api(`/audit?limit=${N + 5}`))).json());
  const since = page.entries.findIndex((e) => e.id === before);
  const turns: AuditEntry[] = (since === -1 ? page.entries : page.entries.slice(0, since)).filter((e) => e.target === PF).reverse();
  const applied = turns.map((e) => (e.result === 'ok' ? 1 : 0));
  const count = (s: number) => statuses.filter((x) => x === s).length;
  const fiveXx = statuses.filter((s) => s >= 500).length;
  const inOrder = turns.every((e, i) => i === 0 || e.at >= turns[i - 1]!.at);
  const refusedOnNow = turns.slice(1).every((e) => e.result === 'refused' && (e.problem as { etag?: string } | undefined)?.etag === etagAfter);
  const sorted = [...finished].sort((a, b) => a - b);

  console.log(withIfMatch ? `${N} concurrent count changes on ${PF}, each with the same If-Match (the topology ETag):` : `the same ${N} without If-Match (a CLI or curl), for contrast:`);
  console.log(`  answers: ${count(200)}× 200, ${count(412)}× 412, ${fiveXx}× 5xx, other ${N - count(200) - count(412) - fiveXx}`);
  console.log(`  queue turns (audit entries, in order): ${turns.length}; applied per turn: ${applied.join(' ')}`);
  console.log(`  time: first answer ${sorted[0]!.toFixed(0)} ms, all ${N} answered in ${total.toFixed(0)} ms`);
  if (withIfMatch) console.log(`  audit order: ${inOrder && turns[0]?.result === 'ok' && refusedOnNow ? 'holds' : 'BROKEN'} (the applied change first, ${turns.length - 1} later turns refused on the ETag it left, finish times in order)`);
  else console.log(`  audit order: finish times ${inOrder ? 'in order' : 'OUT OF ORDER'}; every change applied, each replacing the last`);
}

let hostId = '';

export async function benchWrites(): Promise<void> {
  const demo = await startDemo();
  try {
    hostId = ((await (await fetch(`${demo.url}/api/v1/hosts`)).json()) as { hosts: Array<{ id: string }> }).hosts[0]!.id;
    await round(demo.url, true);
    if (process.env.BENCH_WRITES_BLIND !== '0') await round(demo.url, false);
  } finally {
    demo.child.kill('SIGTERM');
  }
}
