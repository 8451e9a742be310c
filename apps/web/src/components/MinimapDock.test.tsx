import { act, renderHook } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { MinimapPlace } from '../graph/minimapPlacement';
import { useMinimapFold } from './MinimapDock';

describe('useMinimapFold', () => {
  it('is open in a free corner and folded where every corner would hide something', () => {
    const { result, rerender } = renderHook(({ place }: { place: MinimapPlace }) => useMinimapFold(place), { initialProps: { place: 'bottom-right' } });
    expect(result.current.open).toBe(true);
    rerender({ place: 'folded' });
    expect(result.current.open).toBe(false);
  });

  it('keeps the person\'s own choice until the placement changes', () => {
    const { result, rerender } = renderHook(({ place }: { place: MinimapPlace }) => useMinimapFold(place), { initialProps: { place: 'folded' } });
    act(() => result.current.toggle());
    expect(result.current.open).toBe(true);
    rerender({ place: 'bottom-left' });
    expect(result.current.open).toBe(true);
    act(() => result.current.toggle());
    expect(result.current.open).toBe(false);
    rerender({ place: 'top-left' });
    expect(result.current.open).toBe(true);
  });
});
