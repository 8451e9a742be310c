import { readdirSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EventStreamsFullProblem } from '@vfmap/model';
import { problemOf, startSimAgent, type SimAgent } from '../testing/simAgent';
import { holdStream, type HeldStream } from '../testing/rawHttp';
import { liveHeapBytes } from '../testing/liveHeap';

const openDescriptors = () => readdirSync('/proc/self/fd').length;

async function waitFor(condition: () => boolean | Promise<boolean>, timeoutMs = 10_000): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (await condition()) return true;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return condition();
}

describe('the event stream limit (--max-event-clients 200)', () => {
  let host: SimAgent;
  const held: HeldStream[] = [];
  beforeAll(async () => {
    host = await startSimAgent({ args: ['--max-event-clients', '200', '--max-event-clients-per-address', '200'] });
  });
  afterAll(async () => {
    for (const s of held) s.close();
    await host?.close();
  });

  it('takes 200 streams over both event routes, refuses the 201st with 503, takes one again when one leaves, and leaves no descriptor behind', { timeout: 60_000 }, async () => {
    await (await fetch(host.url('/healthz'))).text();
    const before = openDescriptors();
    const urls = [host.api('/events'), host.url('/api/v1/events')];
    for (let i = 0; i < 200; i++) held.push(await holdStream(urls[i % 2]!));
    expect(held.map((s) => s.status)).toEqual(Array.from({ length: 200 }, () => 200));

    for (const url of urls) {
      const res = await fetch(url);
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(await problemOf(res, EventStreamsFullProblem)).toMatchObject({ reason: 'event-streams-full', limit: 200 });
    }

    held.shift()!.close();
    let next: HeldStream | null = null;
    expect(
      await waitFor(async () => {
        const s = await holdStream(urls[0]!);
        if (s.status === 200) next = s;
        else s.close();
        return next !== null;
      }),
    ).toBe(true);
    held.push(next!);

    for (const s of held.splice(0)) s.close();
    // Both ends of every stream are in this process: a stream the agent kept would hold two.
    expect(await waitFor(() => openDescriptors() <= before + 5)).toBe(true);
    expect(openDescriptors()).toBeLessThanOrEqual(before + 5);
    // And every slot is free again.
    const again: HeldStream[] = [];
    for (let i = 0; i < 200; i++) again.push(await holdStream(urls[i % 2]!));
    expect(again.every((s) => s.status === 200)).toBe(true);
    for (const s of again) s.close();
  });
});

describe('the memory of event streams', () => {
  let host: SimAgent;
  beforeAll(async () => {
    host = await startSimAgent({ args: ['--max-event-clients-per-address', '200'] });
  });
  afterAll(() => host?.close());

  it('gives back what 200 streams held: the live heap after round 4 is within 1 MiB of after round 1', { timeout: 90_000 }, async () => {
    const round = async () => {
      const streams: HeldStream[] = [];
      for (let i = 0; i < 200; i++) streams.push(await holdStream(i % 2 ? host.api('/events') : host.url('/api/v1/events')));
      expect(streams.every((s) => s.status === 200)).toBe(true);
      for (const s of streams) s.close();
      // The agent sees each close on its next turn.
      await new Promise((resolve) => setTimeout(resolve, 300));
    };
    // Round 1 makes what is made once (code compiled, pools grown); a stream that kept anything
    // (a listener, a timer, its response) would keep it 600 times over from here.
    await round();
    const after1 = liveHeapBytes();
    for (let i = 0; i < 3; i++) await round();
    const after4 = liveHeapBytes();
    expect(after4 - after1).toBeLessThan(1 << 20);
  });
});

describe('the per-address share (--max-event-clients-per-address 3)', () => {
  let host: SimAgent;
  beforeAll(async () => {
    host = await startSimAgent({ args: ['--max-event-clients-per-address', '3'] });
  });
  afterAll(() => host?.close());

  it('refuses a fourth stream of one address with 503 while another address still gets one', async () => {
    const mine = [await holdStream(host.api('/events')), await holdStream(host.url('/api/v1/events')), await holdStream(host.api('/events'))];
    try {
      expect(mine.map((s) => s.status)).toEqual([200, 200, 200]);
      const res = await fetch(host.api('/events'));
      expect(res.status).toBe(503);
      expect(res.headers.get('retry-after')).toMatch(/^[1-9]\d*$/);
      expect(await problemOf(res, EventStreamsFullProblem)).toMatchObject({ reason: 'event-streams-per-address', limit: 3 });
      // Another client address (127.0.0.2 is this machine too).
      const other = await holdStream(host.api('/events'), '127.0.0.2');
      expect(other.status).toBe(200);
      other.close();
    } finally {
      for (const s of mine) s.close();
    }
  });
});
