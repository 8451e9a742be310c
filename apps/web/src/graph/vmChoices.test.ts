import { describe, expect, it } from 'vitest';
import { labTopology } from '../test/fixtures';
import { buildGraphModel } from './graphModel';
import { vmChoices } from './vmChoices';

function choicesFor(address: string) {
  const model = buildGraphModel(labTopology());
  return vmChoices(model, model.vfByAddress.get(address)!);
}

describe('vmChoices', () => {
  it('puts the VMs that hold devices on the VF\'s NUMA node first, all there before some there, then those with none, then the others', () => {
    // A free E810 VF on node 0. k8s-worker-1 and build-runner hold E810 VFs only (node 0);
    // web-01, db-01 and nfv-router hold E810 VFs (node 0) and ConnectX-6 or I350 VFs (node 1);
    // win-test holds only a GPU on node 1.
    const topology = labTopology();
    topology.vms.push({ id: '150', name: 'fresh', state: 'stopped' });
    const model = buildGraphModel(topology);
    const choices = vmChoices(model, model.vfByAddress.get('0000:3b:12.3')!);
    expect(choices.map((c) => [c.name, c.numa])).toEqual([
      ['k8s-worker-1', 'same'],
      ['build-runner', 'same'],
      ['db-01', 'mixed'],
      ['nfv-router', 'mixed'],
      ['web-01', 'mixed'],
      ['fresh', 'unknown'],
      ['win-test', 'other'],
    ]);
  });

  it('orders by the VF\'s own node: a VF on node 1 puts the VMs with node 1 devices first', () => {
    // A free ConnectX-6 VF on node 1: win-test's GPU is there too; the E810-only VMs are not.
    const choices = choicesFor('0000:af:00.5');
    expect(choices.map((c) => [c.name, c.numa])).toEqual([
      ['win-test', 'same'],
      ['db-01', 'mixed'],
      ['nfv-router', 'mixed'],
      ['web-01', 'mixed'],
      ['k8s-worker-1', 'other'],
      ['build-runner', 'other'],
    ]);
  });

  it('within a group, puts running VMs before paused and stopped ones, then orders by name', () => {
    const topology = labTopology();
    topology.vms.push({ id: '151', name: 'a-stopped', state: 'stopped' }, { id: '152', name: 'z-running', state: 'running' }, { id: '153', name: 'm-paused', state: 'paused' });
    const model = buildGraphModel(topology);
    const unknown = vmChoices(model, model.vfByAddress.get('0000:3b:12.3')!).filter((c) => c.numa === 'unknown');
    expect(unknown.map((c) => c.name)).toEqual(['z-running', 'm-paused', 'a-stopped']);
  });

  it('offers only the VMs of the VF\'s host, and none the hypervisor does not list', () => {
    const choices = choicesFor('0000:3b:12.3');
    expect(choices.map((c) => c.id).sort()).toEqual(labTopology().vms.map((v) => v.id).sort());
  });

  it('says why a VM is on another node, in words', () => {
    const win = choicesFor('0000:3b:12.3').find((c) => c.name === 'win-test')!;
    expect(win.numaHint).toBe('its devices are on NUMA node 1; this VF is on 0, so traffic would cross sockets');
    const web = choicesFor('0000:3b:12.3').find((c) => c.name === 'web-01')!;
    expect(web.numaHint).toBe('holds devices on NUMA node 0, like this VF, and on 1');
    const runner = choicesFor('0000:3b:12.3').find((c) => c.name === 'build-runner')!;
    expect(runner.numaHint).toBe('NUMA node 0, like its other devices');
  });

  it('knows nothing of the fit when the VF reports no NUMA node', () => {
    const topology = labTopology();
    for (const pf of topology.pfs) {
      pf.numaNode = null;
      for (const vf of pf.vfs) vf.numaNode = null;
    }
    const model = buildGraphModel(topology);
    const choices = vmChoices(model, model.vfByAddress.get('0000:3b:12.3')!);
    expect(new Set(choices.map((c) => c.numa))).toEqual(new Set(['unknown']));
    expect(choices[0]!.numaHint).toBe('the VF reports no NUMA node');
  });

  it('shows every state, and says a stopped VM gets the VF only at its next start', () => {
    const choices = choicesFor('0000:3b:12.3');
    expect(new Set(choices.map((c) => c.state))).toEqual(new Set(['running', 'stopped', 'paused']));
    expect(choices.find((c) => c.name === 'build-runner')!.effectHint).toBe('stopped: it gets the VF at its next start');
    expect(choices.find((c) => c.name === 'win-test')!.effectHint).toBeNull();
  });

  it('knows nothing about the NUMA fit of a VM that holds nothing yet', () => {
    const topology = labTopology();
    topology.vms.push({ id: '150', name: 'fresh', state: 'running' });
    const model = buildGraphModel(topology);
    const fresh = vmChoices(model, model.vfByAddress.get('0000:3b:12.3')!).find((c) => c.id === '150')!;
    expect(fresh).toMatchObject({ numa: 'unknown', numaHint: 'holds no device yet' });
  });
});
