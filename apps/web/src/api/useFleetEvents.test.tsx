import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventStreams } from '../test/eventStreamDouble';
import { queryKeys } from './api';
import { ApiClientProvider } from './apiClient';
import { useFleetEvents } from './useFleetEvents';
import { REOPEN_MS } from './followEvents';

function setup(enabled = true) {
  const streams = eventStreams();
  const queryClient = new QueryClient();
  const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
  const wrapper = ({ children }: { children: ReactNode }) => (
    <ApiClientProvider client={{ baseUrl: 'http://hub.test', fetch: globalThis.fetch, openEvents: streams.open }}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </ApiClientProvider>
  );
  const hook = renderHook(({ on }) => useFleetEvents(on), { wrapper, initialProps: { on: enabled } });
  return { ...hook, streams, invalidate };
}

const hostsAsked = (invalidate: ReturnType<typeof setup>['invalidate']) =>
  invalidate.mock.calls.filter(([filters]) => JSON.stringify(filters?.queryKey) === JSON.stringify(queryKeys.hosts)).length;

afterEach(() => vi.useRealTimers());

describe('useFleetEvents', () => {
  it('follows the fleet stream and asks for the host list again on open and when a host changes status', () => {
    const { result, streams, invalidate } = setup();
    const s = streams.opened[0]!;
    expect(s.url).toBe('http://hub.test/api/v1/events');
    act(() => s.open());
    expect(result.current.connected).toBe(true);
    expect(hostsAsked(invalidate)).toBe(1);
    act(() => s.send('host.status', { type: 'host.status', host: 'pve2', status: 'unreachable', problem: 'connect ECONNREFUSED', at: 'now' }));
    expect(hostsAsked(invalidate)).toBe(2);
    expect(invalidate).toHaveBeenCalledWith({ queryKey: queryKeys.fleetVfsAll });
  });

  it('also refreshes when any host\'s VFs change, and ignores a started operation and garbage', () => {
    const { streams, invalidate } = setup();
    const s = streams.opened[0]!;
    act(() => s.send('topology.changed', { type: 'topology.changed', host: 'pve3', etag: 'e', reason: 'external', at: 'now' }));
    expect(hostsAsked(invalidate)).toBe(1);
    act(() => s.send('operation.started', { type: 'operation.started', host: 'pve3', operationId: 'op', kind: 'assign', target: '0000:3b:02.5', at: 'now' }));
    act(() => s.send('message', { type: 'host.status', host: 'x' }));
    act(() => s.send('host.status', 'not json at all'));
    expect(hostsAsked(invalidate)).toBe(1);
  });

  it('opens nothing while the fleet is not shown, and closes the stream when it goes', () => {
    const { streams, rerender } = setup(false);
    expect(streams.opened).toHaveLength(0);
    rerender({ on: true });
    expect(streams.opened).toHaveLength(1);
    rerender({ on: false });
    expect(streams.opened[0]!.closed).toBe(true);
  });

  it('tries a refused stream again later, and leaves a dropped one to reconnect by itself', () => {
    vi.useFakeTimers();
    const { result, streams } = setup();
    act(() => streams.opened[0]!.open());
    act(() => streams.opened[0]!.drop());
    expect(result.current.connected).toBe(false);
    expect(streams.opened).toHaveLength(1);
    act(() => streams.opened[0]!.refuse());
    act(() => vi.advanceTimersByTime(REOPEN_MS));
    expect(streams.opened).toHaveLength(2);
  });
});
