import { describe, expect, it } from 'vitest';
import { parseFileSd } from './fileSd';
import { SourceReadError } from './sourceErrors';

const FP = Array.from({ length: 32 }, (_, i) => (0xa0 + i).toString(16).toUpperCase()).join(':');

describe('parseFileSd', () => {
  it('reads a JSON list: host:port targets over https, labels vfmap knows, others ignored', () => {
    const text = JSON.stringify([
      { targets: ['pve2.lab:7300', '10.0.0.6:7300'], labels: { hypervisor: 'libvirt', fingerprint: FP.toLowerCase(), job: 'vfmap', env: 'lab' } },
      { targets: ['[fd00::7]:7300'], labels: { name: 'kvm7', server_name: 'kvm7.lab' } },
    ]);
    expect(parseFileSd(text, '/etc/vfmap/peers.json')).toEqual({
      targets: [
        { url: 'https://pve2.lab:7300', name: 'pve2.lab:7300', source: 'file:/etc/vfmap/peers.json', hypervisor: 'libvirt', tls: { fingerprint: FP } },
        { url: 'https://10.0.0.6:7300', name: '10.0.0.6:7300', source: 'file:/etc/vfmap/peers.json', hypervisor: 'libvirt', tls: { fingerprint: FP } },
        { url: 'https://[fd00::7]:7300', name: 'kvm7', source: 'file:/etc/vfmap/peers.json', hypervisor: null, tls: { serverName: 'kvm7.lab' } },
      ],
      problems: [],
    });
  });

  it('reads the same list written in YAML', () => {
    const yaml = `# lab hosts
- targets:
    - pve2.lab:7300
  labels:
    name: pve2
    hypervisor: proxmox
`;
    expect(parseFileSd(yaml, '/etc/vfmap/peers.yml').targets).toEqual([
      { url: 'https://pve2.lab:7300', name: 'pve2', source: 'file:/etc/vfmap/peers.yml', hypervisor: 'proxmox', tls: {} },
    ]);
  });

  it('tells JSON from YAML by content when the extension does not say', () => {
    expect(parseFileSd('[{"targets":["a:1"]}]', '/x/peers').targets.map((t) => t.url)).toEqual(['https://a:1']);
    expect(parseFileSd('[{targets: ["b:2"]}]', '/x/peers').targets.map((t) => t.url)).toEqual(['https://b:2']);
    expect(parseFileSd('- targets: [c:3]\n', '/x/peers.txt').targets.map((t) => t.url)).toEqual(['https://c:3']);
  });

  it('resolves relative ca_file and token_file against the directory of the list', () => {
    const text = JSON.stringify([{ targets: ['a:7300'], labels: { ca_file: 'ca/lab.pem', token_file: '../secrets/fleet.token' } }, { targets: ['b:7300'], labels: { ca_file: '/abs/ca.pem' } }]);
    const [a, b] = parseFileSd(text, '/etc/vfmap/peers.json').targets;
    expect(a?.tls.caFile).toBe('/etc/vfmap/ca/lab.pem');
    expect(a?.credentialFile).toBe('/etc/secrets/fleet.token');
    expect(b?.tls.caFile).toBe('/abs/ca.pem');
    expect(b?.credentialFile).toBeUndefined();
  });

  it('speaks http when __scheme__ says so, and takes full URLs as targets', () => {
    const text = JSON.stringify([{ targets: ['127.0.0.1:7301', 'https://pve9:7300', `https://pve8:7300#sha256=${FP}`], labels: { __scheme__: 'http' } }]);
    expect(parseFileSd(text, '/p.json').targets.map((t) => [t.url, t.tls.fingerprint])).toEqual([
      ['http://127.0.0.1:7301', undefined],
      ['https://pve9:7300', undefined],
      ['https://pve8:7300', FP],
    ]);
  });

  it('leaves out a group with a malformed fingerprint, saying so, and keeps the others', () => {
    const text = JSON.stringify([{ targets: ['a:1'], labels: { fingerprint: 'AB:CD' } }, { targets: ['b:2'] }]);
    const list = parseFileSd(text, '/p.json');
    expect(list.targets.map((t) => t.url)).toEqual(['https://b:2']);
    expect(list.problems).toEqual([expect.stringMatching(/^\/p\.json: group 1 left out: fingerprint: .*64 hex digits.*"AB:CD"/)]);
  });

  it('leaves out groups with a scheme, hypervisor or label type it cannot use', () => {
    const text = JSON.stringify([
      { targets: ['a:1'], labels: { __scheme__: 'ftp' } },
      { targets: ['b:2'], labels: { hypervisor: 'vmware' } },
      { targets: ['c:3'], labels: { name: 5 } },
      { targets: ['d:4'], labels: { __scheme__: 'http', fingerprint: FP } },
      { targets: 'e:5' },
      { targets: ['f:6'] },
    ]);
    const list = parseFileSd(text, '/p.json');
    expect(list.targets.map((t) => t.url)).toEqual(['https://f:6']);
    expect(list.problems).toHaveLength(5);
    expect(list.problems[0]).toMatch(/group 1 .*__scheme__ is "ftp"/);
    expect(list.problems[1]).toMatch(/group 2 .*hypervisor is "vmware"/);
    expect(list.problems[2]).toMatch(/group 3 .*labels\.name/);
    expect(list.problems[3]).toMatch(/group 4 .*http/);
    expect(list.problems[4]).toMatch(/group 5 .*targets/);
  });

  it('leaves out a bad target and keeps the rest of its group', () => {
    const list = parseFileSd(JSON.stringify([{ targets: ['nohost', 'ok:1', 'https://x:1/api'] }]), '/p.json');
    expect(list.targets.map((t) => t.url)).toEqual(['https://ok:1']);
    expect(list.problems).toEqual([expect.stringMatching(/target "nohost" left out: .*host:port/), expect.stringMatching(/target "https:\/\/x:1\/api" left out: .*path/)]);
  });

  it('keeps the first of duplicated targets (however spelled) and says where the first was', () => {
    const text = JSON.stringify([{ targets: ['pve2:7300'], labels: { name: 'first' } }, { targets: ['PVE2:7300', 'https://pve2:7300/'], labels: { name: 'second' } }]);
    const list = parseFileSd(text, '/p.json');
    expect(list.targets).toEqual([expect.objectContaining({ url: 'https://pve2:7300', name: 'first' })]);
    expect(list.problems).toEqual([expect.stringMatching(/group 2: target "PVE2:7300" is https:\/\/pve2:7300 again \(first in group 1\)/), expect.stringMatching(/group 2: target "https:\/\/pve2:7300\/"/)]);
  });

  it('refuses a file that is not a list, not JSON, not YAML or empty, naming it', () => {
    const refusals: [string, string, RegExp][] = [
      ['{"targets":["a:1"]}', '/p.json', /^\/p\.json is not a list/],
      ['[{"targets":["a:1"]', '/p.json', /^\/p\.json is not JSON/],
      ['- targets: [a:1\n  labels: {', '/p.yaml', /^\/p\.yaml is not YAML/],
      ['  \n', '/p.yml', /^\/p\.yml is empty/],
    ];
    for (const [text, file, why] of refusals) {
      expect(() => parseFileSd(text, file), text).toThrow(SourceReadError);
      expect(() => parseFileSd(text, file), text).toThrow(why);
    }
  });

  it('reads an empty list as no targets', () => {
    expect(parseFileSd('[]', '/p.json')).toEqual({ targets: [], problems: [] });
  });
});
