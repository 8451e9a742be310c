import fc from 'fast-check';
import type { z } from 'zod';

/**
 * Test support: fast-check arbitraries for requests to the agent, derived from its served OpenAPI
 * document (each operation's path and query parameters, request body schema and security), valid
 * and mutated: wrong types, missing and extra properties, long strings, huge, negative and
 * fractional numbers, path traversal, NUL, bad percent-encoding and Unicode in path parameters,
 * malformed JSON, wrong content types, oversize bodies, with and without the bearer token.
 */

/**
 * encodeURIComponent that takes any string: a lone surrogate (which encodeURIComponent throws on)
 * goes out as the UTF-8 Node writes for it, U+FFFD.
 */
function percentEncoded(value: string): string {
  return [...Buffer.from(value, 'utf8')].map((b) => (/[A-Za-z0-9\-_.!~*'()]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
}

export interface JsonSchema {
  $ref?: string;
  type?: string;
  enum?: unknown[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
}

interface Parameter {
  name: string;
  in: 'path' | 'query';
  required: boolean;
  schema: JsonSchema;
}

interface DocOperation {
  operationId: string;
  parameters: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  security?: unknown[];
}

export interface OpenApiDoc {
  paths: Record<string, Record<string, DocOperation>>;
  components: { schemas: Record<string, JsonSchema> };
}

/** One operation of the document, with what the fuzzer needs of it. */
export interface Operation {
  operationId: string;
  method: string;
  /** `/api/v1/hosts/{host}/topology` */
  path: string;
  pathParams: Parameter[];
  queryParams: Parameter[];
  body: JsonSchema | null;
  write: boolean;
}

export function operationsOf(doc: OpenApiDoc): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, byMethod]) =>
    Object.entries(byMethod).map(([method, op]) => ({
      operationId: op.operationId,
      method: method.toUpperCase(),
      path,
      pathParams: op.parameters.filter((p) => p.in === 'path'),
      queryParams: op.parameters.filter((p) => p.in === 'query'),
      body: op.requestBody?.content['application/json']?.schema ?? null,
      write: (op.security ?? []).length > 0,
    })),
  );
}

/** What exists on the host now, by path parameter name (`host`, `pf`, `vf`), and its VM ids. */
export interface LiveValues {
  params: Record<string, string[]>;
  vmIds: string[];
  /** Counts a PF takes, by PF address (at most its totalVfs). */
  totalVfs: Record<string, number>;
}

/** A request as it goes on the wire, and what it was made of. */
export interface FuzzRequest {
  operationId: string;
  method: string;
  /** Path and query, as sent (already percent-encoded, or deliberately not). */
  target: string;
  headers: Record<string, string>;
  body: Buffer | null;
  /** How it was made, for the report of a failure. */
  mutations: string[];
}

export interface FuzzOptions {
  token: string;
  live: LiveValues;
  /** The schema of each operation's body, to tell a body the agent may act on from one it must refuse. */
  bodySchemas: Record<string, z.ZodType | undefined>;
}

const MAX_STRING = 1_000_000;

function resolve(schema: JsonSchema, doc: OpenApiDoc): JsonSchema {
  if (!schema.$ref) return schema;
  const name = schema.$ref.replace('#/components/schemas/', '');
  const target = doc.components.schemas[name];
  if (!target) throw new Error(`no schema ${schema.$ref}`);
  return resolve(target, doc);
}

/** A long string: mostly short, sometimes past the 64 kB body limit, up to 1 MB. */
const longString = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: 1_000, max: 60_000 }) },
  { weight: 1, arbitrary: fc.integer({ min: 60_000, max: MAX_STRING }) },
).chain((n) => fc.constantFrom('x', '\u00e9', '\u{1F600}', '\0', '"').map((c) => c.repeat(Math.ceil(n / c.length))));

const oddString = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 30 }),
  fc.string({ unit: 'grapheme', maxLength: 30 }),
  fc.constantFrom('', '\0', '../../etc/passwd', '%00', '__proto__', 'constructor', '<script>alert(1)</script>', "'; DROP TABLE x;--", '\uFEFF', '\uD800'),
);

const anyJson: fc.Arbitrary<unknown> = fc.oneof(fc.constant(null), fc.boolean(), fc.double(), fc.integer(), oddString, fc.array(fc.integer(), { maxLength: 3 }), fc.dictionary(fc.string({ maxLength: 5 }), fc.integer(), { maxKeys: 2 }));

/** A valid value of a schema (the subset the agent's document uses). */
export function validValue(schema: JsonSchema, doc: OpenApiDoc): fc.Arbitrary<unknown> {
  const s = resolve(schema, doc);
  if (s.enum) return fc.constantFrom(...s.enum);
  switch (s.type) {
    case 'integer': {
      const min = s.minimum ?? -(2 ** 31);
      const max = s.maximum ?? 2 ** 31;
      return fc.oneof(fc.integer({ min, max: Math.min(max, min + 200) }), fc.integer({ min: Math.max(min, -(2 ** 31)), max: Math.min(max, Number.MAX_SAFE_INTEGER) }));
    }
    case 'number':
      return fc.double({ noNaN: true, noDefaultInfinity: true, ...(s.minimum === undefined ? {} : { min: s.minimum }), ...(s.maximum === undefined ? {} : { max: s.maximum }) });
    case 'boolean':
      return fc.boolean();
    case 'string':
      if (s.pattern) return fc.stringMatching(new RegExp(s.pattern));
      return fc.string({ minLength: s.minLength ?? 0, maxLength: Math.min(s.maxLength ?? 40, 40) });
    case 'object': {
      const props = Object.fromEntries(Object.entries(s.properties ?? {}).map(([k, v]) => [k, validValue(v, doc)]));
      return fc.record(props, { requiredKeys: s.required ?? [] });
    }
    default:
      return anyJson;
  }
}

/** A value the schema does not allow (or, for a few, a boundary it does). */
export function wrongValue(schema: JsonSchema, doc: OpenApiDoc): fc.Arbitrary<unknown> {
  const s = resolve(schema, doc);
  const otherTypes = anyJson;
  switch (s.type) {
    case 'integer':
    case 'number':
      return fc.oneof(
        fc.integer({ max: -1 }),
        fc.double({ noNaN: true }).filter((n) => !Number.isInteger(n)),
        fc.constantFrom(1e20, 2 ** 53, 2 ** 64, 1e308, -1e308, Number.MAX_VALUE, -0, 0.5, 1.0000001),
        fc.integer().map(String),
        otherTypes,
      );
    case 'string':
      return fc.oneof(longString, oddString, fc.integer(), fc.boolean(), fc.constant(null), fc.array(fc.string(), { maxLength: 2 }));
    case 'boolean':
      return fc.oneof(fc.constantFrom('true', 'false', 1, 0, null, 'yes'), otherTypes);
    case 'object':
      return fc.oneof(otherTypes, mutatedObject(s, doc));
    default:
      return otherTypes;
  }
}

/** A valid object with one thing wrong: a required property missing, one too many, or one of the wrong type. */
function mutatedObject(s: JsonSchema, doc: OpenApiDoc): fc.Arbitrary<unknown> {
  const properties = Object.keys(s.properties ?? {});
  const valid = validValue(s, doc) as fc.Arbitrary<Record<string, unknown>>;
  const missing = valid.chain((v) =>
    (s.required ?? []).length === 0
      ? fc.constant(v)
      : fc.constantFrom(...(s.required ?? [])).map((k) => {
          const { [k]: _gone, ...rest } = v;
          return rest;
        }),
  );
  const extra = fc.tuple(valid, fc.oneof(fc.string({ minLength: 1, maxLength: 20 }), fc.constantFrom('__proto__', 'constructor', 'prototype', 'toString')), anyJson).map(([v, k, x]) => {
    const out: Record<string, unknown> = { ...v };
    Object.defineProperty(out, properties.includes(k) ? `${k}_` : k, { value: x, enumerable: true });
    return out;
  });
  const wrongProperty =
    properties.length === 0
      ? valid
      : fc.tuple(valid, fc.constantFrom(...properties)).chain(([v, k]) => wrongValue(s.properties![k]!, doc).map((x) => ({ ...v, [k]: x })));
  return fc.oneof(missing, extra, wrongProperty);
}

/** Path segments that are not what a parameter names: traversal, NUL, bad percent-encoding, Unicode, very long. */
const hostileSegment: fc.Arbitrary<{ raw: string; why: string }> = fc.oneof(
  fc
    .constantFrom(
      '..',
      '.',
      '%2e%2e',
      '%2E%2E',
      '.%2e',
      '%2e%2e%2f%2e%2e%2fetc%2fpasswd',
      '..%2f..%2f..%2fetc%2fpasswd',
      '..%5c..%5cwindows',
      '%252e%252e',
      '%c0%ae%c0%ae',
      '%00',
      'sim%00',
      '0000:18:00.0%00',
      '%zz',
      '%',
      '%%',
      '%u0000',
      '%E0%A4%A',
      '%ff',
      '%C0%80',
      '%ED%A0%80',
      '%F0%9F%98%80',
      '%20',
      '~root',
      '*',
      '..;',
    )
    .map((raw) => ({ raw, why: 'hostile segment' })),
  fc.string({ unit: 'grapheme', minLength: 1, maxLength: 20 }).map((s) => ({ raw: percentEncoded(s), why: 'unicode' })),
  fc.string({ unit: 'binary', minLength: 1, maxLength: 20 }).map((s) => ({ raw: percentEncoded(s).replace(/%2F/g, '/'), why: 'raw slashes' })),
  fc.integer({ min: 100, max: 20_000 }).map((n) => ({ raw: 'a'.repeat(n), why: `long segment (${n})` })),
);

const AUTH = ['good', 'none', 'wrong', 'prefix', 'basic', 'query', 'cookie', 'lowercase', 'other-header'] as const;
type Auth = (typeof AUTH)[number];

function authHeaders(auth: Auth, token: string): { headers: Record<string, string>; query: string; valid: boolean } {
  switch (auth) {
    case 'good':
      return { headers: { Authorization: `Bearer ${token}` }, query: '', valid: true };
    case 'lowercase':
      return { headers: { Authorization: `bearer   ${token} ` }, query: '', valid: true };
    case 'none':
      return { headers: {}, query: '', valid: false };
    case 'wrong':
      return { headers: { Authorization: `Bearer ${token}x` }, query: '', valid: false };
    case 'prefix':
      return { headers: { Authorization: `Bearer ${token.slice(0, -1)}` }, query: '', valid: false };
    case 'basic':
      return { headers: { Authorization: `Basic ${Buffer.from(`root:${token}`).toString('base64')}` }, query: '', valid: false };
    case 'query':
      return { headers: {}, query: `token=${token}&access_token=${token}`, valid: false };
    case 'cookie':
      return { headers: { Cookie: `token=${token}` }, query: '', valid: false };
    case 'other-header':
      return { headers: { 'X-Auth-Token': token, 'X-Vfmap-Token': token }, query: '', valid: false };
  }
}

/** The content types a body is sent with; `json` says the agent reads it as JSON. */
const CONTENT_TYPES: { type: string | null; json: boolean }[] = [
  { type: 'application/json', json: true },
  { type: 'application/json; charset=utf-8', json: true },
  { type: 'Application/JSON', json: true },
  { type: 'application/json; charset=latin1', json: false },
  { type: 'application/json; charset=utf-16', json: false },
  { type: 'application/json; charset="', json: false },
  { type: 'application/vnd.api+json', json: false },
  { type: 'application/x-www-form-urlencoded', json: false },
  { type: 'multipart/form-data; boundary=x', json: false },
  { type: 'text/plain', json: false },
  { type: 'text/json', json: false },
  { type: '', json: false },
  { type: ';;;', json: false },
  { type: null, json: false },
];

/** JSON text that is not JSON, or JSON the parser reads in its own way. */
function malformedJson(valid: string): fc.Arbitrary<string> {
  return fc.oneof(
    fc.integer({ min: 0, max: Math.max(0, valid.length - 1) }).map((n) => valid.slice(0, n)),
    fc.constantFrom(
      '{count: 1}',
      "{'count': 1}",
      '{"count": 1,}',
      '{"count": 01}',
      '{"count": 1e999}',
      '{"count": -1e999}',
      '{"count": NaN}',
      '{"count": Infinity}',
      '{"count": 0x10}',
      '{"count": 1}{"count": 2}',
      '{"count": 1, "count": "x"}',
      '{"vmId": "\\u0000"}',
      '{"vmId": "\\ud800"}',
      '{"__proto__": {"count": 1}}',
      '{"constructor": {"prototype": {"polluted": true}}}',
      '[' .repeat(5000),
      '{"a":'.repeat(3000),
      '\uFEFF{"count": 1}',
      'null',
      '"count"',
      '1',
      'true',
      '[]',
      '',
      ' ',
      '\0',
    ),
    fc.string({ unit: 'binary', maxLength: 50 }),
  );
}

/** Whether the agent may carry out a request with this body: JSON that its schema takes. */
function bodyValidates(schema: z.ZodType | undefined, text: string): boolean {
  if (!schema) return true;
  try {
    return schema.safeParse(JSON.parse(text.replace(/^\uFEFF/, ''))).success;
  } catch {
    return false;
  }
}

/** A request's body as sent: `json` says the agent reads it as JSON (its type and encoding allow it). */
interface BodyPart {
  text: string | null;
  contentType: string | null;
  json: boolean;
  mutations: string[];
  extraHeaders: Record<string, string>;
}

export interface Generated {
  request: FuzzRequest;
  /** An authenticated write, with a body its schema takes, to things that exist: the agent may do it. */
  mayChange: boolean;
}

/** Requests for one operation: mostly mutated, some valid. */
export function requestsFor(op: Operation, doc: OpenApiDoc, options: FuzzOptions): fc.Arbitrary<Generated> {
  const { live } = options;

  const paramValue = (p: Parameter): fc.Arbitrary<{ raw: string; live: boolean; why: string }> => {
    const known = live.params[p.name] ?? [];
    return fc.oneof(
      { weight: 4, arbitrary: known.length > 0 ? fc.constantFrom(...known).map((v) => ({ raw: percentEncoded(v), live: true, why: 'live' })) : validValue(p.schema, doc).map((v) => ({ raw: percentEncoded(String(v)), live: false, why: 'valid' })) },
      { weight: 3, arbitrary: validValue(p.schema, doc).map((v) => ({ raw: percentEncoded(String(v)), live: known.includes(String(v)), why: 'valid' })) },
      { weight: 3, arbitrary: hostileSegment.map((h) => ({ raw: h.raw, live: false, why: h.why })) },
    );
  };
  const pathArb = fc.tuple(...op.pathParams.map((p) => paramValue(p).map((v) => ({ name: p.name, ...v })))).map((values) => ({
    path: op.path.replace(/\{(\w+)\}/g, (_m, name: string) => values.find((v) => v.name === name)!.raw),
    live: values.every((v) => v.live),
    mutations: values.filter((v) => v.why !== 'live').map((v) => `${v.name}: ${v.why}`),
  }));

  const queryArb: fc.Arbitrary<{ query: string; mutations: string[] }> =
    op.queryParams.length === 0
      ? fc.oneof({ weight: 9, arbitrary: fc.constant({ query: '', mutations: [] as string[] }) }, { weight: 1, arbitrary: fc.constantFrom('x=1', 'limit=%zz', '%%=%', 'a[b]=c', `q=${'y'.repeat(20_000)}`).map((q): { query: string; mutations: string[] } => ({ query: q, mutations: ['query where none is taken'] })) })
      : fc
          .tuple(
            ...op.queryParams.map((p) =>
              fc.oneof(
                { weight: 3, arbitrary: fc.constant(null) },
                { weight: 4, arbitrary: validValue(p.schema, doc).map((v) => `${p.name}=${percentEncoded(String(v))}`) },
                {
                  weight: 3,
                  arbitrary: fc
                    .oneof(
                      wrongValue(p.schema, doc).map((v) => percentEncoded(typeof v === 'string' ? v : JSON.stringify(v) ?? 'undefined')),
                      fc.constantFrom('', '%zz', '%', '1e400', '-0', '0x10', '%205', '+5', 'NaN', 'Infinity', '9'.repeat(400)),
                    )
                    .map((v) => `${p.name}=${v}`),
                },
                { weight: 1, arbitrary: fc.tuple(validValue(p.schema, doc), validValue(p.schema, doc)).map(([a, b]) => `${p.name}=${percentEncoded(String(a))}&${p.name}=${percentEncoded(String(b))}`) },
              ),
            ),
            fc.oneof({ weight: 9, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('unknown=1', '__proto__=x', 'constructor[prototype][x]=1') }),
          )
          .map((parts) => {
            const present = parts.filter((p): p is string => p !== null);
            return { query: present.join('&'), mutations: present.length > 0 ? [`query ${present.join('&').slice(0, 80)}`] : [] };
          });

  const schema = options.bodySchemas[op.operationId];
  const bodyArb: fc.Arbitrary<BodyPart> = op.body
    ? fc
        .tuple(
          fc.oneof(
            { weight: 4, arbitrary: bodyValue(op, doc, options).map((v) => ({ text: JSON.stringify(v) ?? 'null', why: 'valid body' })) },
            { weight: 5, arbitrary: wrongValue(op.body, doc).map((v) => ({ text: JSON.stringify(v) ?? 'null', why: 'mutated body' })) },
            { weight: 2, arbitrary: validValue(op.body, doc).chain((v) => malformedJson(JSON.stringify(v))).map((text) => ({ text, why: 'malformed JSON' })) },
            { weight: 1, arbitrary: longString.map((pad) => ({ text: JSON.stringify({ pad }), why: `long body (${pad.length})` })) },
            { weight: 1, arbitrary: fc.constant({ text: null, why: 'no body' }) },
          ),
          fc.oneof({ weight: 12, arbitrary: fc.constant(CONTENT_TYPES[0]!) }, { weight: 4, arbitrary: fc.constantFrom(...CONTENT_TYPES) }),
          fc.oneof({ weight: 15, arbitrary: fc.constant(null) }, { weight: 1, arbitrary: fc.constantFrom('gzip', 'deflate', 'br', 'compress', 'identity', 'x-unknown') }),
        )
        .map(([body, type, encoding]): BodyPart => ({
          text: body.text,
          contentType: type.type,
          json: type.json && encoding === null,
          mutations: [body.why, ...(type === CONTENT_TYPES[0] ? [] : [`content-type ${type.type}`]), ...(encoding ? [`content-encoding ${encoding}`] : [])],
          extraHeaders: encoding ? { 'Content-Encoding': encoding } : {},
        }))
    : fc.oneof(
        { weight: 9, arbitrary: fc.constant<BodyPart>({ text: null, contentType: null, json: false, mutations: [], extraHeaders: {} }) },
        {
          weight: 1,
          arbitrary: fc.tuple(fc.oneof(fc.constant('{"count":1}'), fc.constant('count=1'), longString.map((s) => JSON.stringify({ s })), malformedJson('{}')), fc.constantFrom(...CONTENT_TYPES)).map(([text, type]): BodyPart => ({
            text,
            contentType: type.type,
            json: type.json,
            mutations: [`body where none is taken (${type.type})`],
            extraHeaders: {},
          })),
        },
      );

  const authArb = op.write ? fc.oneof({ weight: 6, arbitrary: fc.constant<Auth>('good') }, { weight: 4, arbitrary: fc.constantFrom(...AUTH) }) : fc.constantFrom<Auth>('none', 'none', 'good', 'wrong', 'query');

  const OTHER_METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'DELETE', 'PATCH', 'OPTIONS', 'TRACE'];
  const methodArb = fc.oneof({ weight: 19, arbitrary: fc.constant(op.method) }, { weight: 1, arbitrary: fc.constantFrom(...OTHER_METHODS.filter((m) => m !== op.method)) });

  const headerArb = fc.oneof(
    { weight: 8, arbitrary: fc.constant<Record<string, string>>({}) },
    {
      weight: 2,
      arbitrary: fc.constantFrom<Record<string, string>>(
        { 'If-None-Match': '*' },
        { 'If-None-Match': 'W/"x", "y"' },
        { 'Last-Event-ID': '999999999' },
        { 'Last-Event-ID': '../../x' },
        { 'Accept-Encoding': 'gzip' },
        { 'Accept-Encoding': 'br;q=1, gzip;q=0' },
        { Accept: 'text/html' },
        { 'X-Vfmap-Forwarded-By': 'evil' },
        { 'X-Vfmap-Forwarded-By': 'sim', 'X-Vfmap-Forwarded-For': 'root' },
        { 'X-Forwarded-For': '10.0.0.1' },
        { Expect: '100-continue' },
        { Range: 'bytes=0-10' },
      ),
    },
  );

  return fc.record({ path: pathArb, query: queryArb, body: bodyArb, auth: authArb, method: methodArb, headers: headerArb }).map(({ path, query, body, auth, method, headers: extra }) => {
    const a = authHeaders(auth, options.token);
    const q = [query.query, a.query].filter((part) => part !== '').join('&');
    const headers: Record<string, string> = { ...extra, ...a.headers, ...body.extraHeaders };
    if (body.contentType !== null) headers['Content-Type'] = body.contentType;
    const mutations = [...path.mutations, ...query.mutations, ...body.mutations, ...(auth === 'good' ? [] : [`auth ${auth}`]), ...(method === op.method ? [] : [`method ${method}`]), ...Object.keys(extra).map((h) => `header ${h}`)];
    const request: FuzzRequest = {
      operationId: op.operationId,
      method,
      target: `${path.path}${q === '' ? '' : `?${q}`}`,
      headers,
      body: body.text === null ? null : Buffer.from(body.text, 'utf8'),
      mutations,
    };
    const mayChange = op.write && method === op.method && a.valid && path.live && (op.body === null || (body.text !== null && body.json && bodyValidates(schema, body.text)));
    return { request, mayChange };
  });
}

/**
 * A body the schema takes. For a write that would really change the host (a VF count on an
 * existing PF), counts past the PF's totalVfs are most of them, so that few change anything.
 */
function bodyValue(op: Operation, doc: OpenApiDoc, options: FuzzOptions): fc.Arbitrary<unknown> {
  const s = resolve(op.body!, doc);
  if (s.properties?.count) {
    const most = Math.max(...Object.values(options.live.totalVfs), 0);
    return fc.record(
      {
        count: fc.oneof({ weight: 1, arbitrary: fc.integer({ min: 0, max: 8 }) }, { weight: 6, arbitrary: fc.integer({ min: most + 1, max: Number.MAX_SAFE_INTEGER }) }),
        force: fc.boolean(),
      },
      { requiredKeys: ['count'] },
    );
  }
  if (s.properties?.vmId) {
    return fc.record({ vmId: fc.oneof({ weight: 1, arbitrary: options.live.vmIds.length > 0 ? fc.constantFrom(...options.live.vmIds) : fc.string({ minLength: 1 }) }, { weight: 3, arbitrary: fc.string({ minLength: 1, maxLength: 40 }) }) });
  }
  return validValue(s, doc);
}
