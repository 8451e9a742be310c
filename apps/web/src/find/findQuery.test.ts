import { describe, expect, it } from 'vitest';
import { describeTerm, parseFindQuery, parseSpeed, tokenize } from './findQuery';

const terms = (text: string) => parseFindQuery(text).terms.map(({ source: _source, ...t }) => t);
const errors = (text: string) => parseFindQuery(text).errors;

describe('parseFindQuery: each key', () => {
  it('reads numa:N, "numa N" and numaN as a NUMA node', () => {
    expect(terms('numa:1')).toEqual([{ key: 'numa', node: 1 }]);
    expect(terms('NUMA 0')).toEqual([{ key: 'numa', node: 0 }]);
    expect(terms('numa1')).toEqual([{ key: 'numa', node: 1 }]);
  });

  it('reads a speed with its comparison and unit, G when none is given', () => {
    expect(terms('speed:100G')).toEqual([{ key: 'speed', op: '=', mbps: 100_000 }]);
    expect(terms('speed:>=25G')).toEqual([{ key: 'speed', op: '>=', mbps: 25_000 }]);
    expect(terms('speed:<10G')).toEqual([{ key: 'speed', op: '<', mbps: 10_000 }]);
    expect(terms('speed:>1000M')).toEqual([{ key: 'speed', op: '>', mbps: 1000 }]);
    expect(terms('speed:<=2.5g')).toEqual([{ key: 'speed', op: '<=', mbps: 2500 }]);
    expect(terms('speed:25')).toEqual([{ key: 'speed', op: '=', mbps: 25_000 }]);
    expect(terms('speed 400Gbps')).toEqual([{ key: 'speed', op: '=', mbps: 400_000 }]);
  });

  it('reads a bare speed such as 100G or >=25G as a speed, and a bare number as text', () => {
    expect(terms('100G')).toEqual([{ key: 'speed', op: '=', mbps: 100_000 }]);
    expect(terms('>=25GbE')).toEqual([{ key: 'speed', op: '>=', mbps: 25_000 }]);
    expect(terms('120')).toEqual([{ key: 'text', value: '120' }]);
  });

  it('reads driver:, vendor:, model: and vm: as lower-cased text to find inside the field', () => {
    expect(terms('driver:mlx5_core')).toEqual([{ key: 'driver', value: 'mlx5_core' }]);
    expect(terms('vendor:Intel')).toEqual([{ key: 'vendor', value: 'intel' }]);
    expect(terms('model:E810')).toEqual([{ key: 'model', value: 'e810' }]);
    expect(terms('vm:web-01')).toEqual([{ key: 'vm', value: 'web-01' }]);
    expect(terms('driver iavf')).toEqual([{ key: 'driver', value: 'iavf' }]);
  });

  it('keeps a quoted value with spaces as one value', () => {
    expect(terms('model:"ConnectX-6 Dx" free')).toEqual([{ key: 'model', value: 'connectx-6 dx' }, { key: 'free' }]);
    expect(tokenize('vm:"web 01"  held')).toEqual(['vm:"web 01"', 'held']);
  });

  it('reads group:N as an IOMMU group', () => {
    expect(terms('group:62')).toEqual([{ key: 'group', group: 62 }]);
    expect(terms('group 7')).toEqual([{ key: 'group', group: 7 }]);
  });

  it('reads free, held and vfio as whole terms, in any case', () => {
    expect(terms('free')).toEqual([{ key: 'free' }]);
    expect(terms('HELD')).toEqual([{ key: 'held' }]);
    expect(terms('vfio')).toEqual([{ key: 'vfio' }]);
  });

  it('reads PCI addresses, prefixes, interface names and MACs as text, colons and all', () => {
    expect(terms('0000:3b:02.1')).toEqual([{ key: 'text', value: '0000:3b:02.1' }]);
    expect(terms('3b:02')).toEqual([{ key: 'text', value: '3b:02' }]);
    expect(terms('de:ad:be:ef:00:01')).toEqual([{ key: 'text', value: 'de:ad:be:ef:00:01' }]);
    expect(terms('ens1f0v3')).toEqual([{ key: 'text', value: 'ens1f0v3' }]);
    expect(terms('eth0:1')).toEqual([{ key: 'text', value: 'eth0:1' }]);
  });

  it('reads bare words such as mlx5, intel and e810 as text that finds them in every field', () => {
    expect(terms('mlx5 intel e810')).toEqual([
      { key: 'text', value: 'mlx5' },
      { key: 'text', value: 'intel' },
      { key: 'text', value: 'e810' },
    ]);
  });
});

describe('parseFindQuery: combinations', () => {
  it('keeps every term of a query, in order, and the words each came from', () => {
    const q = parseFindQuery('numa:1  free speed:>=25G driver:mlx5_core vendor:mellanox model:ConnectX vm:101 group:180 vfio 3b:02');
    expect(q.errors).toEqual([]);
    expect(q.terms.map((t) => t.key)).toEqual(['numa', 'free', 'speed', 'driver', 'vendor', 'model', 'vm', 'group', 'vfio', 'text']);
    expect(q.terms.map((t) => t.source)).toEqual(['numa:1', 'free', 'speed:>=25G', 'driver:mlx5_core', 'vendor:mellanox', 'model:ConnectX', 'vm:101', 'group:180', 'vfio', '3b:02']);
  });

  it('pairs a key word with the word after it, and nothing else', () => {
    expect(terms('numa 1 free')).toEqual([{ key: 'numa', node: 1 }, { key: 'free' }]);
  });

  it('has no terms and no errors for an empty or blank query', () => {
    expect(parseFindQuery('')).toEqual({ terms: [], errors: [] });
    expect(parseFindQuery('   ')).toEqual({ terms: [], errors: [] });
  });
});

describe('parseFindQuery: what it did not understand', () => {
  it('says a NUMA node and a group are numbers', () => {
    expect(errors('numa:x')).toEqual([{ source: 'numa:x', message: expect.stringContaining('a NUMA node is a number, like numa:1') }]);
    expect(errors('numa free')).toEqual([{ source: 'numa free', message: expect.stringContaining('a NUMA node is a number') }]);
    expect(errors('group:abc')[0]!.message).toContain('an IOMMU group is a number');
  });

  it('says what a speed looks like', () => {
    expect(errors('speed:fast')).toEqual([{ source: 'speed:fast', message: expect.stringContaining('like speed:100G or speed:>=25G') }]);
    expect(errors('speed:>=')[0]!.message).toContain('speed:100G');
  });

  it('says a key needs a value', () => {
    expect(errors('driver:')[0]!.message).toBe('"driver:" needs a value: say which driver, like driver:mlx5_core');
    expect(errors('free numa')[0]!.message).toContain('"numa" needs a value');
  });

  it('names the keys it knows when given one it does not', () => {
    const [e] = errors('colour:red');
    expect(e!.source).toBe('colour:red');
    expect(e!.message).toContain('"colour:" is not a key');
    expect(e!.message).toContain('numa:, speed:, driver:, vendor:, model:, vm:, group:');
  });

  it('keeps the terms it understood beside the ones it did not', () => {
    const q = parseFindQuery('free numa:x 100G');
    expect(q.terms.map((t) => t.key)).toEqual(['free', 'speed']);
    expect(q.errors.map((e) => e.source)).toEqual(['numa:x']);
  });
});

describe('parseSpeed', () => {
  it('needs a unit where a bare number could be something else', () => {
    expect(parseSpeed('25', true)).toBeNull();
    expect(parseSpeed('25G', true)).toEqual({ op: '=', mbps: 25_000 });
    expect(parseSpeed('1T', false)).toEqual({ op: '=', mbps: 1_000_000 });
    expect(parseSpeed('fast', false)).toBeNull();
  });
});

describe('describeTerm', () => {
  it('says each term in words', () => {
    expect(parseFindQuery('numa:1 free speed:>=25G vfio group:3 driver:ice e810').terms.map(describeTerm)).toEqual([
      'NUMA 1',
      'free',
      'speed >=25G',
      'bound to vfio-pci',
      'IOMMU group 3',
      'driver ice',
      '"e810"',
    ]);
  });
});
