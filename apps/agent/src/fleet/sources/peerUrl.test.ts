import { describe, expect, it } from 'vitest';
import { parsePeerUrl, peerUrlTarget } from './peerUrl';
import { PeerSpecError } from './sourceErrors';

const FP = Array.from({ length: 32 }, (_, i) => (i * 7 + 16).toString(16).padStart(2, '0').slice(-2).toUpperCase()).join(':');

describe('parsePeerUrl', () => {
  it('takes https and http URLs of a host and a port', () => {
    expect(peerUrlTarget('https://pve2.lab:7300')).toEqual({ url: 'https://pve2.lab:7300', name: 'pve2.lab:7300', source: 'peer', hypervisor: null, tls: {} });
    expect(peerUrlTarget('http://127.0.0.1:7301/')).toMatchObject({ url: 'http://127.0.0.1:7301', name: '127.0.0.1:7301' });
    expect(parsePeerUrl('https://[FD00::5]:7300').url).toBe('https://[fd00::5]:7300');
    expect(parsePeerUrl('https://HOST.example').url).toBe('https://host.example:443');
  });

  it('pins the certificate a #sha256= fragment names, normalized', () => {
    expect(peerUrlTarget(`https://10.0.0.5:7300#sha256=${FP.toLowerCase()}`).tls).toEqual({ fingerprint: FP });
    expect(parsePeerUrl(`https://10.0.0.5:7300/#SHA256:${FP.replace(/:/g, '')}`).fingerprint).toBe(FP);
  });

  it('refuses what it would have to half-use, saying why', () => {
    const refusals: [string, RegExp][] = [
      ['pve2:7300', /scheme|not a peer URL/],
      ['not a url', /scheme:\/\/host:port/],
      ['ftp://pve2:7300', /scheme is ftp/],
      ['https://pve2:7300/api/v1', /path \/api\/v1/],
      ['https://pve2:7300/?x=1', /query/],
      ['https://admin:secret@pve2:7300', /credentials/],
      ['https://pve2:7300#pin', /#sha256=/],
      ['https://pve2:7300#sha256=ABCD', /64 hex digits/],
      ['https://pve2:7300#sha256=%zz', /64 hex digits/],
      [`http://pve2:7300#sha256=${FP}`, /speaks http/],
      ['https://pve2:0', /port 0/],
    ];
    for (const [text, why] of refusals) {
      expect(() => parsePeerUrl(text), text).toThrow(PeerSpecError);
      expect(() => parsePeerUrl(text), text).toThrow(why);
    }
  });
});
