import { QueryClient, QueryClientProvider } from '@tanstack/react-query';
import { act, renderHook } from '@testing-library/react';
import type { ReactNode } from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { eventStreams } from '../test/eventStreamDouble';
import { queryKeys } from './api';
import { ApiClientProvider } from './apiClient';
import { REOPEN_MS } from './followEvents';
import { FINISHED_VISIBLE_MS, useHostEvents } from './useHostEvents';

function setup(host: string | null = 'h1') {
  const streams = eventStreams();
  const queryClient = new QueryClient();
  const invalidate = vi.spyOn(queryClient, 'invalidateQueries');
  const wrapper = ({ children }: { children: ReactNode }) => (
    <ApiClientProvider client={{ baseUrl: 'http://agent.test', fetch: globalThis.fetch, openEvents: streams.open }}>
      <QueryClientProvider client={queryClient}>{children}</QueryClientProvider>
    </ApiClientProvider>
  );
  const hook = renderHook(() => useHostEvents(host), { wrapper });
  return { ...hook, streams, invalidate };
}

const started = { type: 'operation.started', host: 'h1', operationId: 'op-7', kind: 'assign', target: '0000:3b:02.5', at: '2025-03-14T09:00:00Z' };
const finished = { ...started, type: 'operation.finished', result: 'refused', detail: 'VF held by VM 101', at: '2025-03-14T09:00:02Z' };

afterEach(() => vi.useRealTimers());

describe('useHostEvents', () => {
  it('reports connected while the stream is open, and refetches the topology on open and on change', () => {
    const { result, streams, invalidate } = setup();
    expect(result.current.connected).toBe(false);
    act(() => streams.opened[0]!.open());
    expect(result.current.connected).toBe(true);
    expect(invalidate).toHaveBeenCalledWith({ queryKey: queryKeys.topology('h1') });
    invalidate.mockClear();
    act(() => streams.opened[0]!.send('topology.changed', { type: 'topology.changed', host: 'h1', etag: 'e', reason: 'operation', at: 'now' }));
    expect(invalidate).toHaveBeenCalledTimes(1);
  });

  it('also takes events sent without an event name, and ignores other hosts\' events and garbage', () => {
    const { streams, invalidate } = setup();
    const s = streams.opened[0]!;
    act(() => s.send('message', { type: 'topology.changed', host: 'h1', etag: 'e', reason: 'external', at: 'now' }));
    expect(invalidate).toHaveBeenCalledTimes(1);
    act(() => s.send('topology.changed', { type: 'topology.changed', host: 'other', etag: 'e', reason: 'external', at: 'now' }));
    act(() => s.send('topology.changed', { type: 'nonsense' }));
    expect(invalidate).toHaveBeenCalledTimes(1);
  });

  it('tracks an operation from start to result by its target, then lets it go', () => {
    vi.useFakeTimers();
    const { result, streams } = setup();
    const s = streams.opened[0]!;
    act(() => s.send('operation.started', started));
    expect(result.current.operations.get('0000:3b:02.5')).toMatchObject({ operationId: 'op-7', kind: 'assign', finished: null });
    act(() => s.send('operation.finished', finished));
    expect(result.current.operations.get('0000:3b:02.5')!.finished).toEqual({ result: 'refused', detail: 'VF held by VM 101', at: '2025-03-14T09:00:02Z' });
    act(() => vi.advanceTimersByTime(FINISHED_VISIBLE_MS));
    expect(result.current.operations.size).toBe(0);
  });

  it('collects a multi-step operation\'s steps from operation.progress, and keeps them when it finishes', () => {
    const { result, streams } = setup();
    const s = streams.opened[0]!;
    const prepare = { host: 'h1', operationId: 'op-8', kind: 'prepare', target: '0000:af:00.1', at: '2025-03-14T09:00:00Z' };
    act(() => s.send('operation.started', { ...prepare, type: 'operation.started' }));
    act(() => s.send('operation.progress', { ...prepare, type: 'operation.progress', step: 1, of: 3, description: 'Kept the desired state' }));
    act(() => s.send('operation.progress', { ...prepare, type: 'operation.progress', step: 2, of: 3, description: 'Wrote 4 to sriov_numvfs' }));
    expect(result.current.operations.get('0000:af:00.1')!.steps).toEqual([
      { step: 1, of: 3, description: 'Kept the desired state' },
      { step: 2, of: 3, description: 'Wrote 4 to sriov_numvfs' },
    ]);
    act(() => s.send('operation.finished', { ...prepare, type: 'operation.finished', result: 'partial', detail: 'VF 1: vfio-pci not loaded' }));
    const op = result.current.operations.get('0000:af:00.1')!;
    expect(op.finished?.result).toBe('partial');
    expect(op.steps).toHaveLength(2);
  });

  it('falls back to polling when the endpoint refuses the stream, and asks again later', () => {
    vi.useFakeTimers();
    const { result, streams } = setup();
    act(() => streams.opened[0]!.refuse());
    expect(result.current.connected).toBe(false);
    expect(streams.opened).toHaveLength(1);
    act(() => vi.advanceTimersByTime(REOPEN_MS));
    expect(streams.opened).toHaveLength(2);
    act(() => streams.opened[1]!.open());
    expect(result.current.connected).toBe(true);
  });

  it('opens nothing without a host, and closes the stream on unmount', () => {
    expect(setup(null).streams.opened).toHaveLength(0);
    const { streams, unmount } = setup();
    unmount();
    expect(streams.opened[0]!.closed).toBe(true);
  });
});
