import { appendFileSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry, AuditPage } from '@vfmap/model';
import { DEMO, problemOf, startSimAgent, TOKEN, type SimAgent } from '../testing/simAgent';
import { tokenId } from '../auth/writeToken';

let host: SimAgent;
let logPath: string;
beforeAll(async () => {
  host = await startSimAgent();
  logPath = join(host.stateDir, 'audit.jsonl');
  // Three operations: done, refused by the safety check, refused by validation.
  expect((await host.request('PUT', `/pfs/${DEMO.x710p1}/numvfs`, { count: 2 })).status).toBe(200);
  expect((await host.request('PUT', `/pfs/${DEMO.e810p0}/numvfs`, { count: 4 })).status).toBe(409);
  expect((await host.request('PUT', `/pfs/${DEMO.cx6p1}/numvfs`, { count: 99 })).status).toBe(422);
});
afterAll(() => host?.close());

const audit = async (query = '') => {
  const res = await fetch(host.api(`/audit${query}`));
  expect(res.status).toBe(200);
  return AuditPage.parse(await res.json());
};

describe('the audit log', () => {
  it('keeps one JSON line per operation in <stateDir>/audit.jsonl, readable by root only', () => {
    const lines = readFileSync(logPath, 'utf8').trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    const entries = lines.map((line) => AuditEntry.parse(JSON.parse(line)));
    expect(entries.map((e) => [e.operation, e.target, e.result])).toEqual([
      ['numvfs', DEMO.x710p1, 'ok'],
      ['numvfs', DEMO.e810p0, 'refused'],
      ['numvfs', DEMO.cx6p1, 'refused'],
    ]);
    expect(statSync(logPath).mode & 0o777).toBe(0o600);
  });

  it('records when, who, what, the state before and after, and the result', async () => {
    const done = (await audit()).entries.at(-1);
    expect(done).toMatchObject({
      host: 'sim',
      who: { principal: tokenId(TOKEN), address: expect.stringMatching(/127\.0\.0\.1$/) },
      operation: 'numvfs',
      target: DEMO.x710p1,
      request: { count: 2 },
      before: { numVfs: 0, driver: 'i40e', held: [] },
      after: { numVfs: 2, driver: 'i40e', held: [] },
      result: 'ok',
      detail: `Enabled 2 VFs on ${DEMO.x710p1}.`,
    });
    expect(Date.parse(done!.at)).toBeGreaterThanOrEqual(Date.parse(done!.startedAt));
  });

  it('records a refusal with the problem the client got, and the VMs that made it', async () => {
    const refused = (await audit()).entries.find((e) => e.target === DEMO.e810p0)!;
    expect(refused).toMatchObject({
      result: 'refused',
      before: { numVfs: 16, held: [{ vf: '0000:18:01.0', vmId: '101' }, { vf: '0000:18:01.1', vmId: '102' }, { vf: '0000:18:01.2', vmId: '106' }] },
      after: null,
      problem: { type: 'urn:vfmap:problem:conflict', status: 409, reason: 'vfs-held' },
    });
    expect(refused.detail).toContain('web-01');
    const invalid = (await audit()).entries.find((e) => e.target === DEMO.cx6p1)!;
    expect(invalid).toMatchObject({ result: 'refused', before: null, problem: { status: 422, reason: 'count-out-of-range' } });
  });

  it('answers GET audit newest first, as many as ?limit asks', async () => {
    expect((await audit()).entries.map((e) => e.target)).toEqual([DEMO.cx6p1, DEMO.e810p0, DEMO.x710p1]);
    expect((await audit('?limit=2')).entries.map((e) => e.target)).toEqual([DEMO.cx6p1, DEMO.e810p0]);
    for (const bad of ['?limit=0', '?limit=1001', '?limit=many']) {
      const res = await fetch(host.api(`/audit${bad}`));
      expect(res.status).toBe(400);
      await problemOf(res);
    }
  });

  it('skips and counts a line torn by a crash, and appends after it on a line of its own', async () => {
    appendFileSync(logPath, '{"id":"torn-by-a-cra');
    const torn = await audit();
    expect(torn.unreadable).toBe(1);
    expect(torn.entries).toHaveLength(3);
    expect((await host.request('PUT', `/pfs/${DEMO.x710p1}/numvfs`, { count: 2 })).status).toBe(200);
    const after = await audit();
    expect(after.entries[0]).toMatchObject({ target: DEMO.x710p1, result: 'ok', detail: expect.stringContaining('nothing was written') });
    expect(after.unreadable).toBe(1);
  });
});
