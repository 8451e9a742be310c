import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { VfmapEvent } from '@vfmap/model';
import { EventBus } from './eventBus';
import { TopologyAnnouncer } from './topologyAnnouncer';
import { TopologyWatcher } from './topologyWatcher';

/** A host whose ETag the test changes, and an operations counter the test moves. */
function setup() {
  const host = { etag: '"a"', checks: 0, running: false, epoch: 0, duringCheck: () => {} };
  const bus = new EventBus();
  const events: VfmapEvent[] = [];
  const announcer = new TopologyAnnouncer(bus, 'h', '"a"', () => new Date(0));
  const watcher = new TopologyWatcher({
    check: async () => {
      host.checks++;
      host.duringCheck();
      return { etag: host.etag };
    },
    announcer,
    operationsEpoch: () => host.epoch,
    operationsRunning: () => host.running,
    intervalMs: 2000,
  });
  bus.onListenerCount((n) => watcher.setActive(n > 0));
  return { host, bus, events, watcher, listen: () => bus.subscribe((e) => events.push(e)) };
}

describe('TopologyWatcher', () => {
  beforeEach(() => vi.useFakeTimers());
  afterEach(() => vi.useRealTimers());

  it('checks only while someone listens, and announces a change once', async () => {
    const { host, events, listen } = setup();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(host.checks).toBe(0);
    const stop = listen();
    host.etag = '"b"';
    await vi.advanceTimersByTimeAsync(2000);
    expect(events).toEqual([{ type: 'topology.changed', host: 'h', etag: '"b"', reason: 'external', at: '1970-01-01T00:00:00.000Z' }]);
    await vi.advanceTimersByTimeAsync(4000);
    expect(events).toHaveLength(1);
    const checks = host.checks;
    stop();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(host.checks).toBe(checks);
  });

  it('leaves a change to the operation that runs while it is seen', async () => {
    const { host, events, listen } = setup();
    listen();
    host.running = true;
    host.etag = '"b"';
    await vi.advanceTimersByTimeAsync(2000);
    expect([host.checks, events.length]).toEqual([0, 0]);
    // An operation starts (and ends) while a check is under way: its own re-read announces the change.
    host.running = false;
    host.duringCheck = () => {
      host.epoch += 2;
    };
    await vi.advanceTimersByTimeAsync(2000);
    expect([host.checks, events.length]).toEqual([1, 0]);
    host.duringCheck = () => {};
    await vi.advanceTimersByTimeAsync(2000);
    expect(events.map((e) => e.type)).toEqual(['topology.changed']);
  });
});
