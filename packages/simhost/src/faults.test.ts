import { existsSync, readFileSync, readlinkSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { FaultSpecError, parseFault, setFaults, type Fault } from './faults';
import { generateHost } from './generateHost';
import { profiles } from './profiles';
import { createSimKernel } from './simKernel';
import { tempRoot } from './tempRoot';

const PF = '0000:01:00.0';
const VF1 = '0000:01:10.2';

let current: ReturnType<typeof tempRoot> | null = null;
let root = '';
beforeEach(() => {
  current?.remove();
  current = tempRoot();
  root = current.dir;
  generateHost(root, profiles.minimal!);
});
afterAll(() => current?.remove());

const dev = (address: string, name: string) => join(root, 'sys/bus/pci/devices', address, name);
const read = (address: string, name: string) => readFileSync(dev(address, name), 'utf8');
const errorOf = (fn: () => void): NodeJS.ErrnoException => {
  try {
    fn();
  } catch (err) {
    return err as NodeJS.ErrnoException;
  }
  throw new Error('expected the write to fail');
};

describe('parseFault: the --fault grammar', () => {
  it.each<[string, Fault]>([
    ['numvfs-write:0000:18:00.0=EBUSY', { kind: 'numvfs-write', pf: '0000:18:00.0', errno: 'EBUSY' }],
    ['numvfs-write:*=EIO', { kind: 'numvfs-write', pf: '*', errno: 'EIO' }],
    ['vf-remove-delay=30s', { kind: 'vf-remove-delay', ms: 30_000 }],
    ['vf-remove-delay=250ms', { kind: 'vf-remove-delay', ms: 250 }],
    ['bind:vfio-pci', { kind: 'driver-file', file: 'bind', driver: 'vfio-pci', errno: 'ENODEV' }],
    ['remove_id:vfio-pci=EINVAL', { kind: 'driver-file', file: 'remove_id', driver: 'vfio-pci', errno: 'EINVAL' }],
    ['vanish:0000:18:01.0', { kind: 'vanish', address: '0000:18:01.0' }],
    ['garbage:sriov_totalvfs@0000:18:00.0', { kind: 'garbage', attr: 'sriov_totalvfs', address: '0000:18:00.0' }],
    ['garbage:numa_node', { kind: 'garbage', attr: 'numa_node', address: null }],
  ])('%s', (text, fault) => {
    expect(parseFault(text)).toEqual(fault);
  });

  it.each([
    ['numvfs-write:0000:18:00.0=EAGAIN', /errno "EAGAIN" is not one of/],
    ['numvfs-write:18:00.0=EBUSY', /not a PCI address/],
    ['numvfs-write:0000:18:00.0', /give the errno/],
    ['vf-remove-delay=30', /<n>ms or <n>s/],
    ['vanish:../../etc', /name the PCI function/],
    ['garbage:../x', /not a sysfs attribute name/],
    ['melt:all', /unknown fault "melt"/],
  ])('refuses %s', (text, why) => {
    expect(() => parseFault(text)).toThrow(FaultSpecError);
    expect(() => parseFault(text)).toThrow(why);
  });
});

describe('the simulated kernel under faults', () => {
  it.each(['EBUSY', 'ENOENT', 'EIO', 'ERANGE', 'ENOMEM'] as const)('fails sriov_numvfs writes with %s, changes nothing, and works once cleared', (errno) => {
    const kernel = createSimKernel(root);
    setFaults(root, [{ kind: 'numvfs-write', pf: PF, errno }]);
    expect(errorOf(() => kernel.writeAttribute(dev(PF, 'sriov_numvfs'), '0'))).toMatchObject({ code: errno, syscall: 'write' });
    expect(read(PF, 'sriov_numvfs')).toBe('2\n');
    expect(existsSync(dev(PF, 'virtfn1'))).toBe(true);
    setFaults(root, []);
    kernel.writeAttribute(dev(PF, 'sriov_numvfs'), '0');
    expect(read(PF, 'sriov_numvfs')).toBe('0\n');
  });

  it('takes faults given as options too (plain data, as a worker thread gets them)', () => {
    const kernel = createSimKernel(root, { faults: [{ kind: 'numvfs-write', pf: '*', errno: 'EIO' }] });
    expect(errorOf(() => kernel.writeAttribute(dev(PF, 'sriov_numvfs'), '0')).code).toBe('EIO');
  });

  it('fails a bind to the faulted driver only (virpcimock\'s per-driver mask), and binds once cleared', () => {
    const kernel = createSimKernel(root);
    kernel.writeAttribute(join(root, 'sys/bus/pci/drivers/igbvf/unbind'), VF1);
    setFaults(root, [parseFault('bind:igbvf')]);
    expect(errorOf(() => kernel.writeAttribute(join(root, 'sys/bus/pci/drivers/igbvf/bind'), VF1)).code).toBe('ENODEV');
    expect(existsSync(dev(VF1, 'driver'))).toBe(false);
    setFaults(root, []);
    kernel.writeAttribute(join(root, 'sys/bus/pci/drivers/igbvf/bind'), VF1);
    expect(readlinkSync(dev(VF1, 'driver')).endsWith('/igbvf')).toBe(true);
  });

  it('makes a VF removal block for the delay, then finish', () => {
    const kernel = createSimKernel(root);
    setFaults(root, [parseFault('vf-remove-delay=300ms')]);
    const started = Date.now();
    kernel.writeAttribute(dev(PF, 'sriov_numvfs'), '0');
    expect(Date.now() - started).toBeGreaterThanOrEqual(300);
    expect(read(PF, 'sriov_numvfs')).toBe('0\n');
  });

  it('hot-unplugs a function: its directory goes, its PF\'s virtfn link dangles', () => {
    setFaults(root, [parseFault(`vanish:${VF1}`)]);
    expect(existsSync(join(root, 'sys/bus/pci/devices', VF1))).toBe(false);
    expect(existsSync(dev(PF, 'virtfn1'))).toBe(false);
    expect(readlinkSync(dev(PF, 'virtfn1'))).toContain(VF1);
  });

  it('makes an attribute read as garbage, on one function or all, without touching its siblings', () => {
    setFaults(root, [parseFault(`garbage:sriov_totalvfs@${PF}`)]);
    expect(read(PF, 'sriov_totalvfs')).toContain('garbage');
    setFaults(root, [parseFault('garbage:vendor')]);
    expect(read(VF1, 'vendor')).toContain('garbage');
  });
});
