import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { problemsTable, routesTable, withGeneratedTables } from './apiDoc';

const apiMd = readFileSync(new URL('../../../docs/api.md', import.meta.url), 'utf8');

describe('docs/api.md', () => {
  it('has the tables the route declarations and problem schemas make (npm run docs:api rewrites them)', () => {
    expect(withGeneratedTables(apiMd)).toBe(apiMd);
  });

  it('lists the fields the host list really has, and the statuses of a write', () => {
    expect(routesTable()).toContain('`{ vfs[], total, hosts: [{ id, status, searched }] }`');
    expect(routesTable()).toContain('`GET /api/v1/hosts` | the host list: `{ hosts[] }`');
    expect(routesTable()).toMatch(/`PUT \/api\/v1\/hosts\/:host\/pfs\/:pf\/numvfs` \(bearer token\).*409 conflict \(vfs-held, management-path\), kernel \(write-hung, no-kernel\), partial \(steps-stopped\);.*422 refused \(not-a-pf, count-out-of-range\), kernel;.*504 kernel \(write-hung\)/);
  });

  it('lists each problem with its status, cause and fields', () => {
    expect(problemsTable()).toContain('| `urn:vfmap:problem:conflict` | 409 | `reason: vfs-held` | `previousCount`, `count`, `vms`, `vfs` |');
    expect(problemsTable()).toContain('| `urn:vfmap:problem:partial` | 500 |  | `errno`, `path`, `stoppedAt`, `previousCount`, `requested`, `pf`, `pfNow?` |');
  });

  it('rewrites a table that no longer agrees', () => {
    const stale = apiMd.replace('hosts: [{ id, status, searched }]', 'hosts[]');
    expect(stale).not.toBe(apiMd);
    expect(withGeneratedTables(stale)).toBe(apiMd);
  });
});
