import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { AuditEntry } from '@vfmap/model';
import { tempDir } from '../testing/simAgent';
import { AuditLog } from './auditLog';

const entry = (id: string): AuditEntry => ({
  id,
  at: '2026-01-01T00:00:01.000Z',
  startedAt: '2026-01-01T00:00:00.000Z',
  host: 'h',
  who: { principal: 'token:abcd1234', address: '127.0.0.1' },
  operation: 'numvfs',
  target: '0000:18:00.0',
  request: { count: 4 },
  before: null,
  after: null,
  result: 'ok',
});

let dir: string | undefined;
afterEach(() => dir && rmSync(dir, { recursive: true, force: true }));

describe('AuditLog.repair, at start', () => {
  it('drops a torn last line (a write cut off by a power cut) and keeps every whole one', async () => {
    dir = tempDir('vfmap-audit-');
    const log = new AuditLog(join(dir, 'audit.jsonl'));
    await log.append(entry('a'));
    await log.append(entry('b'));
    const whole = readFileSync(log.path, 'utf8');
    appendFileSync(log.path, JSON.stringify(entry('c')).slice(0, 40));
    // Read before the repair: the torn line is skipped and counted.
    expect(await log.recent(10)).toMatchObject({ entries: [{ id: 'b' }, { id: 'a' }], unreadable: 1 });

    expect(await log.repair()).toBe(40);
    expect(readFileSync(log.path, 'utf8')).toBe(whole);
    expect(await log.repair()).toBe(0);
    await log.append(entry('d'));
    expect((await log.recent(10)).entries.map((e) => e.id)).toEqual(['d', 'b', 'a']);
  });

  it('drops a file that is one torn line, and leaves a missing file missing', async () => {
    dir = tempDir('vfmap-audit-');
    const log = new AuditLog(join(dir, 'audit.jsonl'));
    expect(await log.repair()).toBe(0);
    writeFileSync(log.path, '{"id":"x","at":');
    expect(await log.repair()).toBe(15);
    expect(readFileSync(log.path, 'utf8')).toBe('');
  });
});
