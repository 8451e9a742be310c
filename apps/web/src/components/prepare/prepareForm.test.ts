import { describe, expect, it } from 'vitest';
import { checkPrepare, type PrepareDraft } from './prepareForm';

const draft: PrepareDraft = { count: '4', vfio: true, stableMacs: true, sameVlan: '', overrides: {}, force: false };

describe('the prepare form', () => {
  it('sends no VLANs when none is given, and vfio-pci as the driver', () => {
    expect(checkPrepare(draft, 16).request).toEqual({ count: 4, driver: 'vfio-pci', stableMacs: true });
  });

  it('gives every VF the VLAN for all, with per-VF overrides over it', () => {
    expect(checkPrepare({ ...draft, sameVlan: '100', overrides: { 2: '200', 7: '300' } }, 16).request?.vlans).toEqual([100, 100, 200, 100]);
    expect(checkPrepare({ ...draft, overrides: { 1: '5' } }, 16).request?.vlans).toEqual([null, 5, null, null]);
  });

  it('refuses a count the PF does not support and a VLAN out of range, saying which', () => {
    expect(checkPrepare({ ...draft, count: '0' }, 16).errors.count).toBe('A whole number, 1 or more.');
    expect(checkPrepare({ ...draft, count: '17' }, 16).errors.count).toBe('At most 16 (sriov_totalvfs).');
    const bad = checkPrepare({ ...draft, sameVlan: '4096', overrides: { 3: 'x' } }, 16);
    expect(bad.request).toBeNull();
    expect(bad.errors.sameVlan).toBe('A VLAN is 0 to 4095.');
    expect(bad.errors.overrides).toEqual({ 3: 'A VLAN is 0 to 4095.' });
  });

  it('asks for force only when ticked, and leaves the driver to the host when vfio-pci is not', () => {
    expect(checkPrepare({ ...draft, vfio: false, force: true }, 16).request).toEqual({ count: 4, driver: null, stableMacs: true, force: true });
  });
});
