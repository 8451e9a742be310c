import { Worker } from 'node:worker_threads';
import { describe, expect, it } from 'vitest';
import { UnavailableError } from './errors';
import { workerCalls } from './workerCalls';

// A real worker thread that answers `{ echo }` at once and keeps `{ hang }` waiting forever,
// as a kernel write that lasts longer than the agent does.
const script = `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (msg) => { if (!msg.hang) parentPort.postMessage({ id: msg.id, echo: msg.echo }); });
`;
type Request = { echo?: string; hang?: boolean };
type Reply = { id: number; echo: string };

function echoCalls() {
  return workerCalls<Request, Reply>('echo', () => new Worker(script, { eval: true }));
}

describe('calls into a worker thread', () => {
  it('answers each call with its own reply', async () => {
    const calls = echoCalls();
    try {
      expect(await Promise.all(['a', 'b', 'c'].map((echo) => calls.call({ echo }, (r) => r.echo)))).toEqual(['a', 'b', 'c']);
    } finally {
      await calls.close();
    }
  });

  it('rejects the calls still waiting when it is closed, and those made after, with an UnavailableError', async () => {
    const calls = echoCalls();
    expect(await calls.call({ echo: 'up' }, (r) => r.echo)).toBe('up');
    const waiting = [calls.call({ hang: true }, (r) => r.echo), calls.call({ hang: true }, (r) => r.echo)];
    const settled = Promise.allSettled(waiting);
    await calls.close();
    const results = await settled;
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected']);
    for (const r of results) {
      const reason = (r as PromiseRejectedResult).reason as Error;
      expect(reason).toBeInstanceOf(UnavailableError);
      expect(reason.message).toMatch(/the echo worker was stopped before it answered/);
    }
    await expect(calls.call({ echo: 'late' }, (r) => r.echo)).rejects.toBeInstanceOf(UnavailableError);
  });

  it('closes at once when no call was ever made', async () => {
    await expect(echoCalls().close()).resolves.toBeUndefined();
  });
});
