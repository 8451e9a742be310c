// @vitest-environment node
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labTopology } from '../test/fixtures';
import { FIXTURE_TOKEN, startFixtureServer, type FixtureServer } from '../test/fixtureServer';
import type { ApiClient } from './apiClient';
import { ApiError } from './apiError';
import { deleteAssignment, postAssignment, putNumVfs } from './writes';

let server: FixtureServer;
let client: ApiClient;
beforeAll(async () => {
  server = await startFixtureServer({ h1: labTopology() });
  client = { baseUrl: server.baseUrl, fetch: globalThis.fetch, openEvents: null };
});
afterAll(() => server.close());

describe('the write requests', () => {
  it('PUTs a count with the bearer token and parses the PF as the agent re-read it', async () => {
    const result = await putNumVfs(client, 'h1', '0000:af:00.1', { count: 2 }, FIXTURE_TOKEN);
    expect(result.pf.vfs.map((v) => v.address)).toEqual(['0000:af:02.2', '0000:af:02.3']);
    expect(server.writes.log.at(-1)).toMatchObject({ method: 'PUT', path: '/api/v1/hosts/h1/pfs/0000:af:00.1/numvfs', authorization: `Bearer ${FIXTURE_TOKEN}` });
  });

  it('sends nothing the agent would refuse as malformed', async () => {
    const before = server.writes.log.length;
    expect(() => putNumVfs(client, 'h1', '0000:af:00.1', { count: -1 }, FIXTURE_TOKEN)).toThrow();
    expect(server.writes.log).toHaveLength(before);
  });

  it('gives a VF to a VM and takes it back, saying when each takes effect', async () => {
    const given = await postAssignment(client, 'h1', '0000:3b:12.3', { vmId: '101' }, FIXTURE_TOKEN);
    expect(given).toMatchObject({ effect: 'live', via: 'hostpci3', vf: { holder: { vmId: '101' } } });
    const taken = await deleteAssignment(client, 'h1', '0000:3b:12.3', FIXTURE_TOKEN);
    expect(taken.vf.holder).toBeNull();
  });

  it('turns a refused token into a 401 problem', async () => {
    const err = await postAssignment(client, 'h1', '0000:3b:12.3', { vmId: '101' }, 'wrong-token-0000000000').catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect((err as ApiError).failure).toMatchObject({ kind: 'problem', problem: { status: 401, type: 'urn:vfmap:problem:unauthorized' } });
  });
});
