import { describe, expect, it } from 'vitest';
import { EMPTY_QUERY, fleetVfParams, isEmptyQuery, parseFleetQuery, type FleetQuery } from './fleetQuery';

const q = (text: string) => parseFleetQuery(text).query;
const only = (over: Partial<FleetQuery>): FleetQuery => ({ ...EMPTY_QUERY, ...over });

describe('parseFleetQuery', () => {
  it('reads the sentence an operator types', () => {
    const parsed = parseFleetQuery('free E810 VF on NUMA 1, 100G');
    expect(parsed.query).toEqual(only({ free: true, device: 'E810', numaNode: 1, minSpeedMbps: 100000 }));
    expect(parsed.summary).toBe('free VFs · model E810 · NUMA 1 · ≥100G');
  });

  it('asks for nothing and says "all VFs" for an empty box', () => {
    expect(parseFleetQuery('')).toEqual({ query: EMPTY_QUERY, summary: 'all VFs' });
    expect(parseFleetQuery('   ,  ').query).toEqual(EMPTY_QUERY);
  });

  describe('state', () => {
    it.each([
      ['free', true],
      ['FREE', true],
      ['available', true],
      ['unused vfs', true],
      ['held', false],
      ['assigned', false],
      ['used', false],
      ['not free', false],
      ['non-free', false],
      ['state:free', true],
      ['state:held', false],
      ['state held', false],
    ])('%s → free=%s', (text, free) => {
      expect(q(text)).toEqual(only({ free }));
    });

    it('says which VFs a state word asks for', () => {
      expect(parseFleetQuery('held').summary).toBe('VFs not free (held or not assignable)');
    });
  });

  describe('NUMA node', () => {
    it.each(['numa:1', 'NUMA:1', 'numa=1', 'numa 1', 'on NUMA 1', 'node 1', 'numa1', 'Node1', 'numa: 1'])('%s → numaNode=1', (text) => {
      expect(q(text)).toEqual(only({ numaNode: 1 }));
    });

    it('takes node 0', () => {
      expect(q('numa:0').numaNode).toBe(0);
    });

    it('does not take a word after "numa" that is not a number as the node', () => {
      expect(q('numa E810')).toEqual(only({ device: 'E810' }));
      expect(q('numa:x').numaNode).toBeNull();
    });
  });

  describe('link speed', () => {
    it.each([
      ['100G', 100000],
      ['25G', 25000],
      ['25g', 25000],
      ['25GbE', 25000],
      ['10Gb/s', 10000],
      ['40Gbps', 40000],
      ['2.5G', 2500],
      ['1000M', 1000],
      ['1000Mb/s', 1000],
      ['speed:25G', 25000],
      ['speed:>=25G', 25000],
      ['speed>=25G', 25000],
      ['speed:>25G', 25000],
      ['>=25G', 25000],
      ['≥25G', 25000],
      ['at least 25G', 25000],
      ['100 G', 100000],
      ['speed 25', 25000],
      ['speed:25000', 25000],
    ])('%s → minSpeedMbps=%i', (text, mbps) => {
      expect(q(text)).toEqual(only({ minSpeedMbps: mbps }));
    });

    it('writes the lowest speed shortly in the summary', () => {
      expect(parseFleetQuery('speed:2.5G').summary).toBe('all VFs · ≥2.5G');
    });
  });

  describe('host, vendor, model', () => {
    it.each<[string, Partial<FleetQuery>]>([
      ['host:pve2', { host: 'pve2' }],
      ['host pve2', { host: 'pve2' }],
      ['host: pve2', { host: 'pve2' }],
      ['vendor:intel', { vendor: 'intel' }],
      ['vendor intel', { vendor: 'intel' }],
      ['model:E810', { device: 'E810' }],
      ['device:1592', { device: '1592' }],
      ['model E810', { device: 'E810' }],
      ['model:"ConnectX-6 Dx"', { device: 'ConnectX-6 Dx' }],
    ])('%s', (text, expected) => {
      expect(q(text)).toEqual(only(expected));
    });

    it('keeps the case of what it passes on', () => {
      expect(q('host:PVE-Lab').host).toBe('PVE-Lab');
    });
  });

  describe('words it does not know', () => {
    it('takes a known vendor name or id as the vendor', () => {
      expect(q('intel')).toEqual(only({ vendor: 'intel' }));
      expect(q('Mellanox')).toEqual(only({ vendor: 'Mellanox' }));
      expect(q('15b3')).toEqual(only({ vendor: '15b3' }));
    });

    it('takes any other word as model text, several words in the order typed', () => {
      expect(q('E810')).toEqual(only({ device: 'E810' }));
      expect(q('ConnectX-6 Dx')).toEqual(only({ device: 'ConnectX-6 Dx' }));
      expect(q('1592')).toEqual(only({ device: '1592' }));
    });

    it('adds them to an explicit model', () => {
      expect(q('model:ConnectX-6 Dx')).toEqual(only({ device: 'ConnectX-6 Dx' }));
    });

    it('skips filler words', () => {
      expect(q('any VF with a link')).toEqual(EMPTY_QUERY);
      expect(q('find me all the free vfs on the intel nics')).toEqual(only({ free: true, vendor: 'intel' }));
    });
  });

  describe('PCI addresses', () => {
    it.each([
      ['0000:3b:00.0', '0000:3b:00.0'],
      ['0000:3B:00.1', '0000:3b:00.1'],
      ['0000:3b', '0000:3b'],
      ['0000:3b:', '0000:3b'],
      ['3b:00.0', '0000:3b:00.0'],
      ['3b:00', '0000:3b:00'],
      ['pf:af:00.1', '0000:af:00.1'],
      ['pf 0000:af', '0000:af'],
    ])('%s → pf=%s', (text, pf) => {
      expect(q(text)).toEqual(only({ pf }));
    });

    it('says a prefix is one', () => {
      expect(parseFleetQuery('0000:3b').summary).toBe('all VFs · PF 0000:3b…');
      expect(parseFleetQuery('0000:3b:00.0').summary).toBe('all VFs · PF 0000:3b:00.0');
    });
  });

  it('reads everything at once, in any order, and says all of it', () => {
    const parsed = parseFleetQuery('host:pve2 speed:>=25G intel numa:0 E810 free');
    expect(parsed.query).toEqual({ free: true, vendor: 'intel', device: 'E810', numaNode: 0, minSpeedMbps: 25000, pf: null, host: 'pve2' });
    expect(parsed.summary).toBe('free VFs · vendor intel · model E810 · NUMA 0 · ≥25G · host pve2');
  });

  it('lets the last of two values of one kind win', () => {
    expect(q('numa:0 numa:1').numaNode).toBe(1);
    expect(q('free held').free).toBe(false);
  });
});

describe('fleetVfParams', () => {
  it('sends only what the query asks for, and a limit', () => {
    expect(fleetVfParams(q('free E810 VF on NUMA 1, 100G')).toString()).toBe('free=true&device=E810&numaNode=1&minSpeedMbps=100000&limit=200');
    expect(fleetVfParams(q('held host:pve2 0000:3b vendor:intel'), 50).toString()).toBe('free=false&vendor=intel&pf=0000%3A3b&host=pve2&limit=50');
  });
});

describe('isEmptyQuery', () => {
  it('is true only when nothing was understood', () => {
    expect(isEmptyQuery(q('any vfs'))).toBe(true);
    expect(isEmptyQuery(q('free'))).toBe(false);
  });
});
