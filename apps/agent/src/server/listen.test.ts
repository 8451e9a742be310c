import express from 'express';
import { describe, expect, it } from 'vitest';
import { listenOn, needsTls } from './listen';

const at = (host: string) => ({ host, port: 7300 });
const plain = { tls: false, peers: [] as string[] };

describe('needsTls', () => {
  it('serves plain HTTP on loopback only', () => {
    expect(needsTls(at('127.0.0.1'), plain)).toBe(false);
    expect(needsTls(at('::1'), plain)).toBe(false);
    expect(needsTls(at('localhost'), plain)).toBe(false);
  });

  it('speaks HTTPS beyond loopback, in a Proxmox cluster, and when asked', () => {
    expect(needsTls(at('0.0.0.0'), plain)).toBe(true);
    expect(needsTls(at('10.0.0.5'), plain)).toBe(true);
    expect(needsTls(at('::'), plain)).toBe(true);
    expect(needsTls(at('127.0.0.1'), { ...plain, peers: ['proxmox'] })).toBe(true);
    expect(needsTls(at('127.0.0.1'), { ...plain, tls: true })).toBe(true);
    expect(needsTls(at('127.0.0.1'), { ...plain, tlsCert: '/etc/vfmap/agent.crt' })).toBe(true);
  });
});

describe('listenOn', () => {
  it('gives a client 10 s for its headers and 30 s for its whole request', async () => {
    const { server } = await listenOn(express(), { host: '127.0.0.1', port: 0 }, null);
    try {
      expect(server.headersTimeout).toBe(10_000);
      expect(server.requestTimeout).toBe(30_000);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });
});
