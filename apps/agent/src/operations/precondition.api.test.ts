import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditPage, NumVfsResult, PreconditionFailedProblem } from '@vfmap/model';
import { DEMO, problemOf, recordingKernel, startSimAgent, TOKEN, type SimAgent } from '../testing/simAgent';

let host: SimAgent;
const writes: Array<{ path: string; value: string }> = [];

beforeAll(async () => {
  host = await startSimAgent({ kernel: (root, sim) => recordingKernel(root, sim, writes) });
});
afterAll(() => host?.close());

function write(method: 'PUT' | 'POST' | 'DELETE', path: string, body: unknown, ifMatch?: string): Promise<Response> {
  const headers: Record<string, string> = { Authorization: `Bearer ${TOKEN}` };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  if (ifMatch !== undefined) headers['If-Match'] = ifMatch;
  return fetch(host.api(path), { method, headers, ...(body === undefined ? {} : { body: JSON.stringify(body) }) });
}

async function topologyEtag(): Promise<string> {
  const res = await fetch(host.api('/topology'));
  await res.arrayBuffer();
  return res.headers.get('etag')!;
}

const numvfsWrites = (pf: string) => writes.filter((w) => w.path === `sys/bus/pci/devices/${pf}/sriov_numvfs`).map((w) => w.value);
const numVfsOf = async (pf: string) => (await host.topology()).pfs.find((p) => p.address === pf)!.numVfs;
const desiredFile = () => {
  try {
    return readFileSync(join(host.stateDir, 'desired.json'), 'utf8');
  } catch {
    return null;
  }
};

describe('If-Match on writes', () => {
  it('applies exactly one of 20 concurrent conflicting count changes sent with one ETag; the other 19 answer 412 with the ETag now, and the audit says so in order', async () => {
    const etag = await topologyEtag();
    const before = numvfsWrites(DEMO.cx6p1).length;
    // The PF has 4 VFs, none held; each request asks for another count (5..16).
    const counts = Array.from({ length: 20 }, (_, i) => 5 + (i % 12));
    const answers = await Promise.all(counts.map((count) => write('PUT', `/pfs/${DEMO.cx6p1}/numvfs`, { count }, etag)));
    const statuses = answers.map((r) => r.status);
    expect(statuses.filter((s) => s >= 500)).toEqual([]);
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 412)).toHaveLength(19);

    const winner = answers.find((r) => r.status === 200)!;
    const result = NumVfsResult.parse(await winner.json());
    const applied = counts[answers.indexOf(winner)]!;
    expect(result.count).toBe(applied);
    const etagNow = await topologyEtag();
    expect(etagNow).not.toBe(etag);
    for (const refused of answers.filter((r) => r.status === 412)) {
      const problem = await problemOf(refused, PreconditionFailedProblem);
      expect(problem).toMatchObject({ status: 412, etag: etagNow, pf: DEMO.cx6p1 });
      expect(problem.pfEtag).toBe(winner.headers.get('etag'));
    }
    // One "0" and one count reached the kernel: the 19 never touched it.
    expect(numvfsWrites(DEMO.cx6p1).slice(before)).toEqual(['0', String(applied)]);
    expect(await numVfsOf(DEMO.cx6p1)).toBe(applied);

    const audit = AuditPage.parse(await (await fetch(host.api('/audit?limit=20'))).json());
    const entries = audit.entries.filter((e) => e.target === DEMO.cx6p1).reverse();
    expect(entries).toHaveLength(20);
    // In queue order: the one that ran first applied, every later turn found the host moved.
    expect(entries.map((e) => e.result)).toEqual(['ok', ...Array.from({ length: 19 }, () => 'refused')]);
    expect(entries[0]!.request.count).toBe(applied);
    for (const e of entries.slice(1)) expect(e.problem).toMatchObject({ type: 'urn:vfmap:problem:precondition-failed', status: 412, etag: etagNow });
    const ats = entries.map((e) => e.at);
    expect([...ats].sort()).toEqual(ats);
  });

  it('refuses a stale topology ETag with 412 and writes nothing: not the kernel, not the desired count', async () => {
    const stale = await topologyEtag();
    // Another client changes another PF: the host's topology moves on.
    expect((await write('PUT', `/pfs/${DEMO.x710p1}/numvfs`, { count: 2 })).status).toBe(200);
    const kernelBefore = writes.length;
    const desiredBefore = desiredFile();
    const countBefore = await numVfsOf(DEMO.cx6p1);

    const res = await write('PUT', `/pfs/${DEMO.cx6p1}/numvfs`, { count: 3 }, stale);
    expect(res.status).toBe(412);
    const problem = await problemOf(res, PreconditionFailedProblem);
    expect(problem.etag).toBe(await topologyEtag());
    expect(writes.length).toBe(kernelBefore);
    expect(desiredFile()).toBe(desiredBefore);
    expect(await numVfsOf(DEMO.cx6p1)).toBe(countBefore);

    // The PF's own ETag still matches: the other PF's change is not this PF's.
    const ok = await write('PUT', `/pfs/${DEMO.cx6p1}/numvfs`, { count: 3 }, problem.pfEtag);
    expect(ok.status).toBe(200);
    // And the answer's ETag chains the next change on the PF; reusing the old one is refused.
    const next = ok.headers.get('etag')!;
    expect(next).toMatch(/^"pf-[\w-]+"$/);
    expect((await write('PUT', `/pfs/${DEMO.cx6p1}/numvfs`, { count: 2 }, problem.pfEtag)).status).toBe(412);
    expect((await write('PUT', `/pfs/${DEMO.cx6p1}/numvfs`, { count: 2 }, next)).status).toBe(200);
  });

  it('takes * and no If-Match at all (the CLI, curl): both write', async () => {
    expect((await write('PUT', `/pfs/${DEMO.cx6p1}/numvfs`, { count: 6 }, '*')).status).toBe(200);
    expect(await numVfsOf(DEMO.cx6p1)).toBe(6);
    expect((await write('PUT', `/pfs/${DEMO.cx6p1}/numvfs`, { count: 4 })).status).toBe(200);
    expect(await numVfsOf(DEMO.cx6p1)).toBe(4);
  });

  it('matches any tag of a list, strongly: a weak tag never matches, a malformed header is a 400', async () => {
    const etag = await topologyEtag();
    expect((await write('PUT', `/pfs/${DEMO.cx6p1}/numvfs`, { count: 4 }, `W/${etag}`)).status).toBe(412);
    expect((await write('PUT', `/pfs/${DEMO.cx6p1}/numvfs`, { count: 4 }, `"nope", ${etag}`)).status).toBe(200);
    const bad = await write('PUT', `/pfs/${DEMO.cx6p1}/numvfs`, { count: 4 }, 'not-a-tag');
    expect(bad.status).toBe(400);
    expect((await problemOf(bad)).type).toBe('urn:vfmap:problem:bad-request');
  });

  it('refuses an assignment or a release on a stale ETag with 412, and the VM keeps what it had', async () => {
    const stale = await topologyEtag();
    expect((await write('PUT', `/pfs/${DEMO.x710p1}/numvfs`, { count: 3 })).status).toBe(200);
    const topology = await host.topology();
    const held = topology.pfs.find((p) => p.address === DEMO.e810p0)!.vfs[0]!;
    const free = topology.pfs.find((p) => p.address === DEMO.e810p0)!.vfs.find((v) => !v.holder)!;

    const assign = await write('POST', `/vfs/${free.address}/assignment`, { vmId: '101' }, stale);
    expect(assign.status).toBe(412);
    await problemOf(assign, PreconditionFailedProblem);
    const release = await write('DELETE', `/vfs/${held.address}/assignment`, undefined, stale);
    expect(release.status).toBe(412);
    await problemOf(release, PreconditionFailedProblem);

    const after = (await host.topology()).pfs.find((p) => p.address === DEMO.e810p0)!;
    expect(after.vfs.find((v) => v.address === free.address)!.holder).toBeNull();
    expect(after.vfs[0]!.holder).toEqual(held.holder);

    // With the ETag of now, the same assignment goes through; its answer's ETag is the PF's as it
    // left it, and chains the next write on that PF.
    const done = await write('POST', `/vfs/${free.address}/assignment`, { vmId: '101' }, await topologyEtag());
    expect(done.status).toBe(200);
    const pfTag = done.headers.get('etag')!;
    expect(pfTag).toMatch(/^"pf-[\w-]+"$/);
    const undone = await write('DELETE', `/vfs/${free.address}/assignment`, undefined, pfTag);
    expect(undone.status).toBe(200);
    expect((await write('POST', `/vfs/${free.address}/assignment`, { vmId: '101' }, pfTag)).status).toBe(412);
    expect((await write('POST', `/vfs/${free.address}/assignment`, { vmId: '101' }, undone.headers.get('etag')!)).status).toBe(200);
  });
});
