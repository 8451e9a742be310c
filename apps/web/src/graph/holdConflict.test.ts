import type { Holder, Vf } from '@vfmap/model';
import { describe, expect, it } from 'vitest';
import { holdConflictOf, isVfioDriver } from './holdConflict';

const holder: Holder = { vmId: '110', vmName: 'nfv-router', via: 'hostpci4', pending: false, source: 'config' };
const vf = (driver: string | null, h: Holder | null = holder): Pick<Vf, 'holder' | 'driver'> => ({ driver, holder: h });

describe('holdConflictOf', () => {
  it('finds a running VM whose configuration names a VF a host driver holds', () => {
    const c = holdConflictOf(vf('mlx5_core'), 'running');
    expect(c).toMatchObject({ vmId: '110', vmName: 'nfv-router', driver: 'mlx5_core' });
    expect(c!.warning).toMatch(/^VM config names this VF, but the host driver holds it: the VM's start or hot-plug failed/);
    expect(holdConflictOf(vf('iavf', { ...holder, source: 'both' }), 'paused')).not.toBeNull();
    expect(holdConflictOf(vf('iavf', { ...holder, source: undefined }), 'running')).not.toBeNull();
  });

  it('sees no conflict where the facts agree', () => {
    expect(holdConflictOf(vf('vfio-pci'), 'running')).toBeNull();
    expect(holdConflictOf(vf('mlx5_vfio_pci'), 'running')).toBeNull();
    expect(holdConflictOf(vf(null), 'running')).toBeNull();
    expect(holdConflictOf(vf('iavf'), 'stopped')).toBeNull();
    expect(holdConflictOf(vf('iavf'), null)).toBeNull();
    expect(holdConflictOf(vf('iavf', { ...holder, pending: true }), 'running')).toBeNull();
    expect(holdConflictOf(vf('iavf', { ...holder, source: 'running' }), 'running')).toBeNull();
    expect(holdConflictOf(vf('iavf', null), 'running')).toBeNull();
  });

  it('knows the vfio drivers', () => {
    expect(['vfio-pci', 'mlx5_vfio_pci', 'ice_vfio_pci'].every(isVfioDriver)).toBe(true);
    expect(['mlx5_core', 'iavf', 'ixgbevf'].some(isVfioDriver)).toBe(false);
  });
});
