import type { AuditEntry } from '@vfmap/model';
import { describe, expect, it } from 'vitest';
import { auditWords, newestFirst } from './auditWords';

const entry = (over: Partial<AuditEntry>): AuditEntry => ({
  id: 'op-1',
  at: '2026-12-06T20:00:01Z',
  startedAt: '2026-12-06T20:00:00Z',
  host: 'lab',
  who: { principal: 'token:1a2b3c4d', address: '10.0.0.7' },
  operation: 'numvfs',
  target: '0000:3b:00.0',
  request: { count: 8 },
  before: { numVfs: 4, driver: 'ice', held: [] },
  after: { numVfs: 8, driver: 'ice', held: [] },
  result: 'ok',
  ...over,
});

describe('auditWords', () => {
  it('says who changed a count, from where, from what to what, and the result', () => {
    expect(auditWords(entry({}))).toEqual({ who: 'token 1a2b3c4d', client: '10.0.0.7', what: 'set the VF count of 0000:3b:00.0 from 4 to 8', result: 'ok', detail: null });
    expect(auditWords(entry({ request: { count: 0, force: true } })).what).toBe('set the VF count of 0000:3b:00.0 from 4 to 0 (forced)');
  });

  it('names the VM of an assignment and a release, the CLI, a forwarding agent and a refusal', () => {
    expect(auditWords(entry({ operation: 'assign', target: '0000:3b:02.0', request: { vmId: '101' }, before: null })).what).toBe('gave 0000:3b:02.0 to VM 101');
    const release = entry({ operation: 'release', target: '0000:3b:02.0', request: {}, before: { holder: { vmId: '101', vmName: 'web-01', via: 'hostpci0', pending: false } } });
    expect(auditWords(release).what).toBe('took back 0000:3b:02.0 from VM 101 (web-01)');
    const cli = auditWords(entry({ who: { principal: 'apply-desired', address: null } }));
    expect([cli.who, cli.client]).toEqual(['the CLI (apply-desired)', 'this host (CLI)']);
    expect(auditWords(entry({ who: { principal: 'token:1a2b3c4d', address: '10.0.0.7', forwardedBy: 'pve-2' } })).who).toBe('token 1a2b3c4d, through pve-2');
    const refused = auditWords(entry({ who: { principal: 'unauthenticated', address: '10.0.0.9' }, result: 'unauthorized', detail: 'no token' }));
    expect([refused.who, refused.result, refused.detail]).toEqual(['someone without a valid token', 'unauthorized', 'no token']);
  });

  it('orders entries newest first, once each', () => {
    const a = entry({ id: 'a', at: '2026-12-06T20:00:01Z' });
    const b = entry({ id: 'b', at: '2026-12-06T20:05:00Z' });
    expect(newestFirst([a, b, a]).map((e) => e.id)).toEqual(['b', 'a']);
  });
});
