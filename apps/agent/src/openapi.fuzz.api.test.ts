import http from 'node:http';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { brotliDecompressSync, gunzipSync, inflateSync } from 'node:zlib';
import { Validator } from '@seriousme/openapi-schema-validator';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuditEntry, PROBLEM_CONTENT_TYPE, ProblemAnswer, ProblemType, Topology } from '@vfmap/model';
import { sysfsPaths } from '@vfmap/sysfs';
import { apiRoutes } from './routes/apiRoutes';
import { otherAnswersOf, problemsOf, type RouteDeclaration } from './routes/route';
import { operationsOf, requestsFor, type FuzzRequest, type Generated, type LiveValues, type OpenApiDoc } from './testing/fuzzRequests';
import { startSimAgent, TOKEN, type SimAgent } from './testing/simAgent';
import { liveHeapBytes } from './testing/liveHeap';

/**
 * The agent's own OpenAPI document drives a seeded fuzzer: for each operation, valid and mutated
 * requests (testing/fuzzRequests.ts), ten thousand a run, against a demo agent. Replay a failure
 * with the seed it prints: VFMAP_FUZZ_SEED=<seed> npx vitest run apps/agent/src/openapi.fuzz.api.test.ts
 */
const SEED = process.env.VFMAP_FUZZ_SEED ? Number(process.env.VFMAP_FUZZ_SEED) : 0x5eed_0013;
const BATCH = 200;
const RUNS = 52;
const MIN_REQUESTS = 10_000;
const CONCURRENCY = 6;
/** A request unanswered this long hangs: a defect of its own. */
const ANSWER_WITHIN_MS = 10_000;

fc.configureGlobal({ seed: SEED });

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Null for an event stream, which is left once its headers came. */
  body: Buffer | null;
}

const declarations = apiRoutes as Record<string, RouteDeclaration>;

function servesPath(declaration: RouteDeclaration, path: string): boolean {
  return new RegExp(`^${declaration.path.replace(/:\w+/g, '[^/]+')}$`).test(path);
}

function decoded(body: Buffer, encoding: string | undefined): Buffer {
  if (encoding === 'gzip') return gunzipSync(body);
  if (encoding === 'br') return brotliDecompressSync(body);
  if (encoding === 'deflate') return inflateSync(body);
  return body;
}

function describeRequest(r: FuzzRequest): string {
  const body = r.body === null ? '' : ` body(${r.body.length} B)=${JSON.stringify(r.body.subarray(0, 120).toString('utf8'))}`;
  return `${r.method} ${r.target.slice(0, 200)}${r.target.length > 200 ? `…(${r.target.length})` : ''} headers=${JSON.stringify(r.headers)}${body} [${r.mutations.join('; ')}]`;
}

/** Everything wrong with an answer, by the document: empty when it is right. */
function faultsOf(r: FuzzRequest, answer: Answer): string[] {
  const faults: string[] = [];
  const { status } = answer;
  const type = String(answer.headers['content-type'] ?? '');
  const path = r.target.split('?', 1)[0]!;
  const route = Object.values(declarations).find((d) => d.method.toUpperCase() === (r.method === 'HEAD' ? 'GET' : r.method) && servesPath(d, path));
  const body = answer.body === null || r.method === 'HEAD' ? null : decoded(answer.body, answer.headers['content-encoding'] as string | undefined);
  if (status >= 500) faults.push(`answered ${status}: ${body?.toString('utf8').slice(0, 300)}`);
  if (status >= 400) {
    if (!type.startsWith(PROBLEM_CONTENT_TYPE)) faults.push(`an error of type ${type || 'none'}, not ${PROBLEM_CONTENT_TYPE}`);
    if (body !== null) {
      let problem: unknown;
      try {
        problem = JSON.parse(body.toString('utf8'));
      } catch {
        faults.push(`a problem that is not JSON: ${body.toString('utf8').slice(0, 200)}`);
      }
      const parsed = ProblemAnswer.safeParse(problem);
      if (!parsed.success) faults.push(`a problem ProblemAnswer does not parse: ${JSON.stringify(problem)?.slice(0, 300)}`);
      else if (parsed.data.status !== status) faults.push(`a problem with status ${parsed.data.status} sent as ${status}`);
      if (route && parsed.success) {
        const documented = problemsOf(route).some((variant) => {
          const p = variant.safeParse(problem);
          return p.success && p.data.status === status && isDeepStrictEqual(p.data, problem);
        });
        if (!documented) faults.push(`a problem its route does not document: ${JSON.stringify(problem).slice(0, 300)}`);
      }
    }
  } else if (status === 304) {
    if (!(route && otherAnswersOf(route)[304] && r.headers['If-None-Match'])) faults.push('304 to a request that asked for no revalidation');
  } else if (status !== 200) {
    faults.push(`answered ${status}, which no route documents`);
  } else if (!route) {
    faults.push(`answered 200 to ${r.method} ${path}, which the document does not have`);
  } else if ('schema' in route.answer) {
    if (!type.startsWith('application/json')) faults.push(`a 200 of type ${type}, not application/json`);
    if (body !== null) {
      let value: unknown;
      try {
        value = JSON.parse(body.toString('utf8'));
      } catch {
        faults.push('a 200 that is not JSON');
      }
      const parsed = route.answer.schema.safeParse(value);
      if (!parsed.success) faults.push(`a 200 its schema does not take: ${parsed.error.issues.slice(0, 3).map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
    }
  } else if (!type.startsWith(route.answer.contentType)) {
    faults.push(`a 200 of type ${type}, not ${route.answer.contentType}`);
  }
  return faults;
}

/** What no refused request may change: the topology, the desired counts, the kernel's counts, and the audit log (but for refusals). */
interface HostState {
  etag: string;
  desired: string | null;
  numVfs: Record<string, string>;
  audit: string[];
}

describe('the agent under requests derived from its OpenAPI document', () => {
  let host: SimAgent;
  let doc: OpenApiDoc;
  let agent: http.Agent;
  let origin: URL;
  let numVfsFiles: string[];

  beforeAll(async () => {
    // Failed authentications are not limited here, so that the writes with the token reach the operations
    // (auth/failedAuthLimit.api.test.ts pins the limit).
    host = await startSimAgent({ profile: 'demo', env: { VFMAP_TOKEN: TOKEN }, args: ['--max-auth-failures', '1000000'] });
    origin = new URL(host.agent.url);
    agent = new http.Agent({ keepAlive: true, maxSockets: CONCURRENCY });
    doc = (await (await fetch(host.url('/api/v1/openapi.json'))).json()) as OpenApiDoc;
    const devices = sysfsPaths(host.root).pciDevices;
    numVfsFiles = readdirSync(devices)
      .map((d) => join(devices, d, 'sriov_numvfs'))
      .filter((f) => existsSync(f));
  });
  afterAll(async () => {
    agent?.destroy();
    await host?.close();
  });

  function send(r: FuzzRequest): Promise<Answer> {
    return new Promise((resolve, reject) => {
      const headers: Record<string, string | number> = { ...r.headers };
      if (r.body !== null) headers['Content-Length'] = r.body.length;
      const req = http.request({ agent, host: origin.hostname, port: origin.port, method: r.method, path: r.target, headers }, (res) => {
        if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
          res.destroy();
          resolve({ status: res.statusCode!, headers: res.headers, body: null });
          return;
        }
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers, body: Buffer.concat(chunks) }));
        res.on('error', reject);
      });
      req.setTimeout(ANSWER_WITHIN_MS, () => req.destroy(new Error(`no answer within ${ANSWER_WITHIN_MS} ms`)));
      req.on('error', reject);
      req.end(r.body ?? undefined);
    });
  }

  async function stateOf(): Promise<HostState> {
    const res = await fetch(host.api('/topology'));
    await res.arrayBuffer();
    const read = (f: string) => (existsSync(f) ? readFileSync(f, 'utf8') : null);
    return {
      etag: res.headers.get('etag') ?? '',
      desired: read(join(host.stateDir, 'desired.json')),
      numVfs: Object.fromEntries(numVfsFiles.map((f) => [f, read(f) ?? ''])),
      audit: (read(join(host.stateDir, 'audit.jsonl')) ?? '').split('\n').filter((l) => l !== ''),
    };
  }

  /** What changed that a refused request may not change; the audit may only have gained refusals. */
  function changes(before: HostState, after: HostState): string[] {
    const out: string[] = [];
    if (before.etag !== after.etag) out.push(`the topology changed (ETag ${before.etag} → ${after.etag})`);
    if (before.desired !== after.desired) out.push(`desired.json changed: ${after.desired}`);
    for (const [f, v] of Object.entries(before.numVfs)) if (after.numVfs[f] !== v) out.push(`${f} changed ${v.trim()} → ${after.numVfs[f]?.trim()}`);
    if (!isDeepStrictEqual(after.audit.slice(0, before.audit.length), before.audit)) out.push('earlier audit entries changed');
    for (const line of after.audit.slice(before.audit.length)) {
      const entry = AuditEntry.parse(JSON.parse(line));
      // A refusal: of the operation, or of the write at authentication.
      if (!['refused', 'unauthorized', 'rate-limited'].includes(entry.result)) out.push(`the audit gained a ${entry.result} entry: ${line.slice(0, 200)}`);
    }
    return out;
  }

  function reportsWhatChanged(answer: Answer): boolean {
    try {
      const problem = JSON.parse(answer.body?.toString('utf8') ?? 'null') as { type?: unknown; applied?: unknown } | null;
      return problem !== null && (problem.type === ProblemType.partial || (Array.isArray(problem.applied) && problem.applied.length > 0));
    } catch {
      return false;
    }
  }

  async function liveValues(): Promise<LiveValues> {
    const topology = Topology.parse(await (await fetch(host.api('/topology'))).json());
    const vfs = topology.pfs.flatMap((pf) => pf.vfs.map((vf) => vf.address));
    return {
      params: { host: [topology.host.id], pf: [...topology.pfs.map((p) => p.address), ...topology.devices.map((d) => d.address).slice(0, 2)], vf: [...vfs.slice(0, 40), topology.pfs[0]!.address] },
      vmIds: topology.vms.map((v) => v.id),
      totalVfs: Object.fromEntries(topology.pfs.map((p) => [p.address, p.totalVfs])),
    };
  }

  it('serves an OpenAPI document the validator finds no error in', async () => {
    const result = await new Validator().validate(doc as unknown as Record<string, unknown>);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
  });

  it(`answers ${MIN_REQUESTS} seeded requests without a 5xx, each as documented, and no refused one changes anything`, { timeout: 180_000 }, async () => {
    const live = await liveValues();
    const bodySchemas = Object.fromEntries(Object.entries(declarations).map(([id, d]) => [id, d.body]));
    const operations = operationsOf(doc);
    expect(operations.length).toBe(Object.keys(declarations).length);
    const requestArb: fc.Arbitrary<Generated> = fc.oneof(...operations.map((op) => requestsFor(op, doc, { token: TOKEN, live, bodySchemas })));
    // Rarely an empty slot, so that shrinking can drop requests from a failing batch down to the one that fails.
    const batchArb = fc.array(fc.option(requestArb, { nil: null, freq: 1_000 }), { minLength: BATCH, maxLength: BATCH });

    let sent = 0;
    let changers = 0;
    let rssAfterWarmUp = 0;
    let heapAfterWarmUp = 0;
    let runs = 0;
    const started = Date.now();

    const property = fc.asyncProperty(batchArb, async (slots) => {
      const batch = slots.filter((g): g is Generated => g !== null);
      const faults: string[] = [];
      const note = (r: FuzzRequest, what: string[]) => {
        for (const w of what) faults.push(`${w}\n    to ${describeRequest(r)}`);
      };

      // Refused or read-only requests, several at a time: nothing may change.
      const quiet = batch.filter((g) => !g.mayChange).map((g) => g.request);
      const before = await stateOf();
      let next = 0;
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (next < quiet.length) {
            const r = quiet[next++]!;
            try {
              note(r, faultsOf(r, await send(r)));
            } catch (err) {
              note(r, [String(err)]);
            }
            sent++;
          }
        }),
      );
      const after = await stateOf();
      const changed = changes(before, after);
      if (changed.length > 0) faults.push(`${changed.join('; ')}\n    after ${quiet.length} requests that must change nothing`);

      // Writes the agent may carry out, one at a time: refused ones must change nothing.
      for (const { request: r } of batch.filter((g) => g.mayChange)) {
        const was = await stateOf();
        try {
          const answer = await send(r);
          note(r, faultsOf(r, answer));
          // A refusal changes nothing, unless its problem says what it did change (a VF setting
          // refused after others were applied: `applied`; a partial outcome): that is reported, not hidden.
          if (answer.status >= 400 && !reportsWhatChanged(answer)) note(r, changes(was, await stateOf()));
        } catch (err) {
          note(r, [String(err)]);
        }
        sent++;
        changers++;
      }
      if (++runs === 2) {
        heapAfterWarmUp = liveHeapBytes();
        rssAfterWarmUp = process.memoryUsage().rss;
      }
      if (faults.length > 0) throw new Error(`${faults.length} faults:\n  ${faults.slice(0, 5).join('\n  ')}`);
    });

    const result = await fc.check(property, { numRuns: RUNS, seed: SEED });
    if (result.failed) {
      const shrunk = (result.counterexample?.[0] ?? []).filter((g): g is Generated => g !== null);
      throw new Error(
        `fuzz seed ${SEED} failed after ${result.numRuns} batches, shrunk ${result.numShrinks} times to ${shrunk.length} request(s):\n` +
          `${shrunk.map((g) => `  ${describeRequest(g.request)}`).join('\n')}\n${String(result.errorInstance instanceof Error ? result.errorInstance.message : result.errorInstance)}\n` +
          `Replay: VFMAP_FUZZ_SEED=${SEED} npx vitest run apps/agent/src/openapi.fuzz.api.test.ts (fast-check path ${result.counterexamplePath})`,
      );
    }
    const seconds = (Date.now() - started) / 1000;
    const heap = liveHeapBytes();
    const rss = process.memoryUsage().rss;
    const growth = (heap - heapAfterWarmUp) / heapAfterWarmUp;
    console.log(
      `fuzz seed ${SEED}: ${sent} requests (${changers} writes the agent may do) in ${seconds.toFixed(1)} s, ${Math.round(sent / seconds)} req/s; live heap ${(heapAfterWarmUp / 2 ** 20).toFixed(1)} → ${(heap / 2 ** 20).toFixed(1)} MiB (${(growth * 100).toFixed(1)} %), RSS ${(rssAfterWarmUp / 2 ** 20).toFixed(0)} → ${(rss / 2 ** 20).toFixed(0)} MiB`,
    );
    expect(sent).toBeGreaterThanOrEqual(MIN_REQUESTS);
    expect(growth).toBeLessThanOrEqual(0.1);
  });
});
