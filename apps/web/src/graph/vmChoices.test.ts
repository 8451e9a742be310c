import { describe, expect, it } from 'vitest';
import { labTopology } from '../test/fixtures';
import { buildGraphModel } from './graphModel';
import { vmChoices } from './vmChoices';

function choicesFor(address: string) {
  const model = buildGraphModel(labTopology());
  return vmChoices(model, model.vfByAddress.get(address)!);
}

describe('vmChoices', () => {
  it('puts the VMs whose devices share the VF\'s NUMA node first, then those with none, then the others; running before stopped', () => {
    // A free E810 VF on node 0. web-01 holds E810 VFs (node 0) and an I350 VF (node 1).
    const topology = labTopology();
    topology.vms.push({ id: '150', name: 'fresh', state: 'stopped' });
    const model = buildGraphModel(topology);
    const choices = vmChoices(model, model.vfByAddress.get('0000:3b:12.3')!);
    expect(choices.map((c) => [c.name, c.numa])).toEqual([
      ['k8s-worker-1', 'same'],
      ['build-runner', 'same'],
      ['fresh', 'unknown'],
      ['db-01', 'other'],
      ['nfv-router', 'other'],
      ['web-01', 'other'],
      ['win-test', 'other'],
    ]);
  });

  it('says why a VM is on another node, in words', () => {
    const web = choicesFor('0000:3b:12.3').find((c) => c.name === 'web-01')!;
    expect(web.numaHint).toBe('its devices are on NUMA node 1; this VF is on 0, so traffic would cross sockets');
    const runner = choicesFor('0000:3b:12.3').find((c) => c.name === 'build-runner')!;
    expect(runner.numaHint).toBe('NUMA node 0, like its other devices');
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
