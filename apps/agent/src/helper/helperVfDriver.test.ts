import { readFileSync, renameSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HelperReply } from '@vfmap/model';
import { parseFault, setFaults } from '@vfmap/simhost';
import { sysfsPaths } from '@vfmap/sysfs';
import { readVfBinding } from '../kernel/vfDriverSteps';
import { VfDriverStepFailed } from '../operations/vfDriverErrors';
import { DEMO } from '../testing/simAgent';
import { startHelperOverSocket, type HelperOverSocket } from '../testing/helperOverSocket';
import type { HelperClient } from './helperClient';
import { HelperRefused } from './helperErrors';

// setVfDriver and setDriversAutoprobe through the root helper over a path socket, as `vfmap helper`
// runs it, on a generated demo host's tree with the simulated kernel: raw messages as a hostile
// HTTP side would send them, and the client's steps as the split agent calls them.
const FREE_IAVF = '0000:18:01.3';
let helper: HelperOverSocket;
let tree: string;
let client: HelperClient;
beforeAll(async () => {
  helper = await startHelperOverSocket('vfdriver');
  ({ tree, client } = helper);
});
afterAll(() => helper.close());

const binding = (vf: string) => readVfBinding(sysfsPaths(tree), vf);
const autoprobe = (pf: string) => readFileSync(sysfsPaths(tree).pciDeviceFile(pf, 'sriov_drivers_autoprobe'), 'utf8').trim();

const reply = (message: Record<string, unknown>): Promise<HelperReply> => helper.exchange(JSON.stringify({ id: 5, ...message }));
const refusalOf = (r: HelperReply) => (!r.ok && r.error.type === 'HelperRefused' ? r.error.reason : `not a refusal: ${JSON.stringify(r)}`);

describe('the root helper refuses a driver message it must not run', () => {
  it.each([
    ['a path for the VF', { op: 'setVfDriver', vf: `/sys/bus/pci/devices/${FREE_IAVF}`, driver: 'vfio-pci' }, 'bad-address'],
    ['a ../ in the VF', { op: 'setVfDriver', vf: '../../../etc', driver: null }, 'bad-address'],
    ['a driver that is not vfio-pci', { op: 'setVfDriver', vf: FREE_IAVF, driver: 'nvme' }, 'invalid-message'],
    ['a driver name with a path', { op: 'setVfDriver', vf: FREE_IAVF, driver: '../../../../etc' }, 'invalid-message'],
    ['no driver', { op: 'setVfDriver', vf: FREE_IAVF }, 'invalid-message'],
    ['a nonexistent VF', { op: 'setVfDriver', vf: '0000:99:00.0', driver: 'vfio-pci' }, 'no-such-device'],
    ['a PF (driver_override only on VFs)', { op: 'setVfDriver', vf: DEMO.e810p0, driver: 'vfio-pci' }, 'not-a-vf'],
    ['a device that is no VF', { op: 'setVfDriver', vf: DEMO.nvme, driver: null }, 'not-a-vf'],
    ['autoprobe as a string', { op: 'setDriversAutoprobe', pf: DEMO.cx6p1, enabled: '1' }, 'invalid-message'],
    ['autoprobe of a device without SR-IOV', { op: 'setDriversAutoprobe', pf: DEMO.nvme, enabled: true }, 'no-such-device'],
    ['autoprobe with a path for the PF', { op: 'setDriversAutoprobe', pf: '0000:af:00.1/../x', enabled: true }, 'bad-address'],
  ])('refuses %s, and writes nothing', async (_what, message, reason) => {
    const before = [binding(FREE_IAVF), binding(DEMO.e810p0), autoprobe(DEMO.cx6p1)];
    expect(refusalOf(await reply(message))).toBe(reason);
    expect([binding(FREE_IAVF), binding(DEMO.e810p0), autoprobe(DEMO.cx6p1)]).toEqual(before);
  });
});

describe('the root helper changes a VF\'s driver and a PF\'s autoprobe', () => {
  it('binds a VF to vfio-pci and gives it back to iavf', async () => {
    await client.steps.setVfDriver(FREE_IAVF, 'vfio-pci');
    expect(binding(FREE_IAVF)).toEqual({ driver: 'vfio-pci', driverOverride: 'vfio-pci' });
    await client.steps.setVfDriver(FREE_IAVF, null);
    expect(binding(FREE_IAVF)).toEqual({ driver: 'iavf', driverOverride: null });
  });

  it('passes a step the kernel refused back as a VfDriverStepFailed, with how the VF is left', async () => {
    setFaults(tree, [parseFault('unbind:iavf=EBUSY')]);
    try {
      const err = await client.steps.setVfDriver(FREE_IAVF, 'vfio-pci').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(VfDriverStepFailed);
      expect(err).toMatchObject({ vf: FREE_IAVF, errno: 'EBUSY', undoFailed: null, now: { driver: 'iavf', driverOverride: null } });
    } finally {
      setFaults(tree, []);
    }
  });

  it('refuses vfio-pci where it is not loaded, as a HelperRefused', async () => {
    const vfio = sysfsPaths(tree).pciDriver('vfio-pci');
    const moved = `${vfio}.away`;
    renameSync(vfio, moved);
    try {
      const err = await client.steps.setVfDriver(FREE_IAVF, 'vfio-pci').catch((e: unknown) => e);
      expect(err).toBeInstanceOf(HelperRefused);
      expect(err).toMatchObject({ reason: 'driver-not-loaded' });
    } finally {
      renameSync(moved, vfio);
    }
  });

  it('writes sriov_drivers_autoprobe', async () => {
    await client.steps.setDriversAutoprobe(DEMO.cx6p1, true);
    expect(autoprobe(DEMO.cx6p1)).toBe('1');
    await client.steps.setDriversAutoprobe(DEMO.cx6p1, false);
    expect(autoprobe(DEMO.cx6p1)).toBe('0');
  });
});
