import { describe, expect, it } from 'vitest';
import { buildGraphModel } from '../graph/graphModel';
import { labTopology } from '../test/fixtures';
import { applySuggestion, lazyVocabulary, MAX_SUGGESTIONS, suggest, vocabularyOf } from './findSuggestions';

describe('vocabularyOf', () => {
  it('lists the values present on the host, fastest link first', () => {
    const v = vocabularyOf(buildGraphModel(labTopology()));
    expect(v.numa).toEqual(['0', '1']);
    expect(v.speed).toEqual(['100G', '25G', '1G']);
    expect(v.driver).toEqual(['iavf', 'ice', 'igb', 'mlx5_core', 'vfio-pci']);
    expect(v.vendor).toEqual(['intel', 'mellanox']);
    expect(v.model).toEqual(['"ConnectX-6 Dx"', 'E810-C', 'I350']);
    expect(v.vm).toContain('web-01');
  });
});

describe('lazyVocabulary', () => {
  it('reads the host only when a key is first asked for, and gives what vocabularyOf gives', () => {
    const model = buildGraphModel(labTopology());
    let reads = 0;
    const counted = new Proxy(model, { get: (target, key, receiver) => (key === 'pfs' && reads++, Reflect.get(target, key, receiver)) });
    const lazy = lazyVocabulary(counted);
    expect(reads).toBe(0);
    expect(lazy.driver).toEqual(vocabularyOf(model).driver);
    expect({ ...lazy }).toEqual(vocabularyOf(model));
    expect(reads).toBe(1);
  });
});

describe('suggest', () => {
  const v = vocabularyOf(buildGraphModel(labTopology()));
  const texts = (input: string) => suggest(input, v).items.map((i) => i.text);

  it('offers the key a word begins', () => {
    expect(texts('dri')).toEqual(['driver:']);
    expect(texts('fr')).toEqual(['free']);
    expect(texts('v')).toEqual(['vendor:', 'vm:', 'vfio']);
  });

  it('offers the values of a key present on this host', () => {
    expect(texts('driver:')).toEqual(['driver:iavf', 'driver:ice', 'driver:igb', 'driver:mlx5_core', 'driver:vfio-pci']);
    expect(texts('driver:ml')).toEqual(['driver:mlx5_core']);
    expect(texts('numa:')).toEqual(['numa:0', 'numa:1']);
    expect(texts('speed:>=')).toEqual(['speed:>=100G', 'speed:>=25G', 'speed:>=1G']);
  });

  it('offers the values after a key word and a space', () => {
    expect(texts('free numa ')).toEqual(['0', '1']);
  });

  it('suggests for the last word only, and says where it starts', () => {
    const s = suggest('numa:1 dri', v);
    expect(s.from).toBe(7);
    expect(s.items.map((i) => i.text)).toEqual(['driver:']);
  });

  it('offers the values a bare word begins, under their key', () => {
    expect(texts('mlx')).toEqual(['driver:mlx5_core']);
    expect(texts('e81')).toEqual(['model:E810-C']);
    expect(texts('int')).toContain('vendor:intel');
  });

  it('offers every key for an empty box, and never more than a few', () => {
    expect(texts('')).toEqual(['numa:', 'speed:', 'driver:', 'vendor:', 'model:', 'vm:', 'group:', 'free']);
    expect(texts('')).toHaveLength(MAX_SUGGESTIONS);
  });

  it('offers nothing after a key it does not know, or once the word is complete', () => {
    expect(texts('colour:')).toEqual([]);
    expect(texts('driver:mlx5_core')).toEqual([]);
  });
});

describe('applySuggestion', () => {
  const v = vocabularyOf(buildGraphModel(labTopology()));

  it('replaces the word being typed; a key waits for its value, a whole term gets a space', () => {
    const s = suggest('numa:1 dri', v);
    expect(applySuggestion('numa:1 dri', s, s.items[0]!)).toBe('numa:1 driver:');
    const t = suggest('numa:1 driver:ml', v);
    expect(applySuggestion('numa:1 driver:ml', t, t.items[0]!)).toBe('numa:1 driver:mlx5_core ');
  });
});
