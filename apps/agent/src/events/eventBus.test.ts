import { describe, expect, it } from 'vitest';
import type { VfmapEvent } from '@vfmap/model';
import { EventBus } from './eventBus';

const changed = (etag: string): VfmapEvent => ({ type: 'topology.changed', host: 'h', etag, reason: 'external', at: '2026-12-05T00:00:00Z' });

describe('EventBus', () => {
  it('gives each event an id, and replays the events after an id it still keeps (Last-Event-ID)', () => {
    const bus = new EventBus();
    const seen: Array<[string, string | undefined]> = [];
    bus.subscribe((e, id) => seen.push([e.type === 'topology.changed' ? e.etag : '', id]));
    for (const etag of ['"1"', '"2"', '"3"']) bus.publish(changed(etag));
    const ids = seen.map(([, id]) => id!);
    expect(new Set(ids).size).toBe(3);
    expect(bus.since(ids[0]!)!.map((r) => r.id)).toEqual(ids.slice(1));
    expect(bus.since(ids[2]!)).toEqual([]);
  });

  it('says it cannot replay an id of another run, or one no longer kept', () => {
    const bus = new EventBus();
    let first: string | undefined;
    bus.subscribe((_e, id) => (first ??= id));
    for (let i = 0; i < 300; i++) bus.publish(changed(`"${i}"`));
    expect(bus.since(first!)).toBeNull();
    expect(new EventBus().since(first!)).toBeNull();
  });
});
