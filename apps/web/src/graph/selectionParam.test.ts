import { describe, expect, it } from 'vitest';
import { labTopology } from '../test/fixtures';
import { buildGraphModel } from './graphModel';
import { nodeId } from './nodeId';
import { selectionFromParam, selectionParam } from './selectionParam';

const model = buildGraphModel(labTopology());

describe('selectionParam', () => {
  it('keeps a PF or VF as its address, a collapsed PF as its PF, anything else as its node id', () => {
    expect(selectionParam(nodeId.vf('0000:3b:02.1'))).toBe('0000:3b:02.1');
    expect(selectionParam(nodeId.pf('0000:3b:00.0'))).toBe('0000:3b:00.0');
    expect(selectionParam(nodeId.bar('0000:3b:00.0'))).toBe('0000:3b:00.0');
    expect(selectionParam(nodeId.vm('101'))).toBe('vm:101');
    expect(selectionParam(nodeId.card('0000:3b:00'))).toBe('card:0000:3b:00');
    expect(selectionParam(null)).toBeNull();
  });
});

describe('selectionFromParam', () => {
  it('finds a VF or PF by its address, in any case', () => {
    expect(selectionFromParam(model, '0000:3b:02.1')).toBe('vf:0000:3b:02.1');
    expect(selectionFromParam(model, '0000:AF:00.0')).toBe('pf:0000:af:00.0');
  });

  it('finds a VM, a card, and a node id of a PF or VF', () => {
    expect(selectionFromParam(model, 'vm:101')).toBe('vm:101');
    expect(selectionFromParam(model, 'card:0000:3b:00')).toBe('card:0000:3b:00');
    expect(selectionFromParam(model, 'vf:0000:3b:02.1')).toBe('vf:0000:3b:02.1');
    expect(selectionFromParam(model, 'bar:0000:3b:00.0')).toBe('pf:0000:3b:00.0');
  });

  it('finds nothing for what the host does not have (any more)', () => {
    expect(selectionFromParam(model, '0000:ff:01.0')).toBeNull();
    expect(selectionFromParam(model, 'vm:999')).toBeNull();
    expect(selectionFromParam(model, 'nonsense')).toBeNull();
  });

  it('round-trips every node kind it writes', () => {
    for (const id of [nodeId.vf('0000:3b:02.1'), nodeId.pf('0000:d8:00.0'), nodeId.vm('140')]) {
      expect(selectionFromParam(model, selectionParam(id)!)).toBe(id);
    }
  });
});
