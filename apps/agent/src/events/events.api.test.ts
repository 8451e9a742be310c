import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { NumVfsResult } from '@vfmap/model';
import { createHypervisor } from '@vfmap/hypervisors';
import { DEMO, startSimAgent, type SimAgent } from '../testing/simAgent';
import { SseClient } from '../testing/sseClient';

let host: SimAgent;
beforeAll(async () => {
  host = await startSimAgent({ watchIntervalMs: 100, sseKeepAliveMs: 200 });
});
afterAll(() => host?.close());

describe('GET events: the server-sent event stream', () => {
  it('sends operation.started, topology.changed and operation.finished for a count change', async () => {
    const stream = await SseClient.open(host.api('/events'));
    try {
      expect(stream.status).toBe(200);
      expect(stream.contentType).toContain('text/event-stream');
      const res = await host.request('PUT', `/pfs/${DEMO.x710p1}/numvfs`, { count: 3 });
      const { operationId } = NumVfsResult.parse(await res.json());
      await stream.until((s) => s.messages.some((m) => m.event === 'operation.finished'));
      const etag = (await fetch(host.api('/topology'))).headers.get('etag');

      const events = stream.events();
      expect(events.map((e) => e.type)).toEqual(['operation.started', 'topology.changed', 'operation.finished']);
      expect(events[0]).toMatchObject({ host: 'sim', operationId, kind: 'numvfs', target: DEMO.x710p1 });
      expect(events[1]).toMatchObject({ host: 'sim', reason: 'operation', etag });
      expect(events[2]).toMatchObject({ operationId, kind: 'numvfs', target: DEMO.x710p1, result: 'ok' });
    } finally {
      stream.close();
    }
  });

  it('reports a refused operation as finished with result "refused" and no topology change', async () => {
    const stream = await SseClient.open(host.api('/events'));
    try {
      expect((await host.request('PUT', `/pfs/${DEMO.e810p0}/numvfs`, { count: 0 })).status).toBe(409);
      await stream.until((s) => s.messages.some((m) => m.event === 'operation.finished'));
      const events = stream.events();
      expect(events.map((e) => e.type)).toEqual(['operation.started', 'operation.finished']);
      expect(events[1]).toMatchObject({ result: 'refused', detail: expect.stringContaining('web-01') });
    } finally {
      stream.close();
    }
  });

  it('sends topology.changed when the kernel changes behind the agent\'s back', async () => {
    const stream = await SseClient.open(host.api('/events'));
    try {
      // As `echo 2 > /sys/bus/pci/devices/0000:af:00.1/sriov_numvfs` on the host would: 4 → 0 → 2.
      host.sim.writeAttribute(host.attr(DEMO.cx6p1, 'sriov_numvfs'), '0');
      host.sim.writeAttribute(host.attr(DEMO.cx6p1, 'sriov_numvfs'), '2');
      await stream.until((s) => s.messages.some((m) => m.event === 'topology.changed'));
      const [event] = stream.events();
      expect(event).toMatchObject({ type: 'topology.changed', host: 'sim', reason: 'external' });
      const res = await fetch(host.api('/topology'));
      expect(res.headers.get('etag')).toBe((event as { etag: string }).etag);
    } finally {
      stream.close();
    }
  });

  it('sends topology.changed when a VM configuration changes behind the agent\'s back', async () => {
    const stream = await SseClient.open(host.api('/events'));
    try {
      // As `qm set` or `virsh attach-device` would, straight through the hypervisor.
      await createHypervisor('simulated', { root: host.root }).attach('104', '0000:18:11.6');
      await stream.until((s) => s.messages.some((m) => m.event === 'topology.changed'));
      expect(stream.events()[0]).toMatchObject({ reason: 'external' });
    } finally {
      stream.close();
    }
  });

  it('keeps an idle stream alive with comments, and forgets a client that went away', async () => {
    await waitFor(() => host.agent.bus.listenerCount === 0); // the streams of the tests before
    expect(host.agent.bus.listenerCount).toBe(0);
    const stream = await SseClient.open(host.api('/events'));
    await stream.until((s) => s.comments.includes('keep-alive'));
    expect(host.agent.bus.listenerCount).toBe(1);
    stream.close();
    await waitFor(() => host.agent.bus.listenerCount === 0);
    expect(host.agent.bus.listenerCount).toBe(0);
  });

  it('answers 404 problem+json for an unknown host instead of a stream', async () => {
    const res = await fetch(host.url('/api/v1/hosts/nope/events'));
    expect(res.status).toBe(404);
    expect(res.headers.get('content-type')).toContain('application/problem+json');
  });
});

async function waitFor(condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition() && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
}
