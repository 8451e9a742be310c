import { HostList, Topology } from '@vfmap/model';
import { act, screen, within } from '@testing-library/react';
import { useState } from 'react';
import userEvent from '@testing-library/user-event';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { OperationProgress } from '../../api/useHostEvents';
import { buildGraphModel, type GraphModel } from '../../graph/graphModel';
import { startDemoAgent, type DemoAgent } from '../../test/demoAgent';
import { renderWithApi } from '../../test/renderWithApi';
import { HistoryView } from './HistoryView';

/** The History tab against the real agent (`vfmap demo`) and its audit log. */
const TOKEN = 'history-test-token-0123456789abcdef';
let agent: DemoAgent;
let hostId: string;
let model: GraphModel;
const api = (path: string) => `${agent.url}/api/v1/hosts/${encodeURIComponent(hostId)}/${path}`;

beforeAll(async () => {
  agent = await startDemoAgent('demo', { token: TOKEN });
  hostId = HostList.parse(await (await fetch(`${agent.url}/api/v1/hosts`)).json()).hosts[0]!.id;
  model = buildGraphModel(Topology.parse(await (await fetch(api('topology'))).json()));
}, 90_000);
afterAll(async () => {
  await agent?.stop();
});

const entries = () => screen.getByRole('region', { name: 'history' }).querySelectorAll('li[data-operation]');

describe('HistoryView', () => {
  it('lists 50 entries newest first, loads more, and adds a finished operation the events report', async () => {
    // 54 count changes that find the count already there: each is an operation, and an audit entry.
    const pf = model.pfs.find((p) => p.pf.numVfs === 0 && p.pf.driver !== null && p.pf.totalVfs >= 2)!;
    for (let i = 0; i < 54; i++) {
      const same = await fetch(api(`pfs/${pf.address}/numvfs`), { method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: '{"count":0}' });
      expect(same.status).toBe(200);
    }
    const onGoto = vi.fn();
    let report: (ops: ReadonlyMap<string, OperationProgress>) => void = () => {};
    /** The page's side: the operations useHostEvents reports, changed by the test as events would. */
    function Harness() {
      const [operations, setOperations] = useState<ReadonlyMap<string, OperationProgress>>(new Map());
      report = setOperations;
      return <HistoryView hostId={hostId} model={model} operations={operations} onGoto={onGoto} />;
    }
    renderWithApi(<Harness />, { baseUrl: agent.url });
    const section = await screen.findByRole('region', { name: 'history' });
    await vi.waitFor(() => expect(entries()).toHaveLength(50));
    expect(section).toHaveTextContent(`set the VF count of ${pf.address} from 0 to 0`);
    const times = [...section.querySelectorAll('li[data-operation] time')].map((t) => t.getAttribute('datetime')!);
    expect([...times].sort().reverse()).toEqual(times);

    await userEvent.click(within(section).getByRole('button', { name: 'Load more' }));
    await vi.waitFor(() => expect(entries()).toHaveLength(54));
    expect(within(section).queryByRole('button', { name: 'Load more' })).toBeNull();

    // A count change this view has not read: the events say it finished, and the list reads it.
    const res = await fetch(api(`pfs/${pf.address}/numvfs`), { method: 'PUT', headers: { authorization: `Bearer ${TOKEN}`, 'content-type': 'application/json' }, body: '{"count":2}' });
    expect(res.status).toBe(200);
    const { operationId } = (await res.json()) as { operationId: string };
    expect(section.querySelector(`li[data-operation="${operationId}"]`)).toBeNull();
    act(() => report(new Map([[pf.address, { operationId, kind: 'numvfs', target: pf.address, startedAt: new Date().toISOString(), finished: { result: 'ok', at: new Date().toISOString() } }]])));
    const entry = await vi.waitFor(() => {
      const li = section.querySelector<HTMLElement>(`li[data-operation="${operationId}"]`);
      expect(li).not.toBeNull();
      return li!;
    });
    expect(entries()[0]).toBe(entry);
    expect(entry).toHaveTextContent(`set the VF count of ${pf.address} from 0 to 2`);
    expect(entry).toHaveTextContent('from 127.0.0.1');
    await userEvent.click(within(entry).getByRole('button'));
    expect(onGoto).toHaveBeenCalledWith(`pf:${pf.address}`);
  }, 60_000);
});
