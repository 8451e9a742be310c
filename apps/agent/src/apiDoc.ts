import { z } from 'zod';
import { problemVariants } from '@vfmap/model';
import { byType, problemLabel, problemVariantInfo, type ProblemVariantInfo } from './problemCatalog';
import { apiRoutes } from './routes/apiRoutes';
import { otherAnswersOf, problemsOf, type RouteAnswer, type RouteDeclaration } from './routes/route';

/**
 * The tables of docs/api.md, written from the route declarations and the model's problem
 * schemas, so that the page cannot disagree with what the agent serves. `npm run docs:api`
 * rewrites them; apiDoc.test.ts fails when the committed page differs.
 */

interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  anyOf?: JsonSchema[];
}

/** A nested object is spelt out when it is this small and flat; otherwise only its name is. */
const SMALL = 6;

function nonNull(schema: JsonSchema): JsonSchema {
  return schema.anyOf?.find((s) => s.type !== 'null') ?? schema;
}

function isSmallFlatObject(schema: JsonSchema): boolean {
  const fields = Object.values(schema.properties ?? {}).map(nonNull);
  return schema.properties !== undefined && fields.length <= SMALL && fields.every((f) => f.properties === undefined && f.items?.properties === undefined);
}

/** `{ hosts: [{ id, hostname, hypervisor, url, readOnly? }] }`: the fields of an answer, a level deep, and small objects further. */
function outline(schema: JsonSchema, top = true): string {
  const required = new Set(schema.required ?? []);
  const fields = Object.entries(schema.properties ?? {}).map(([name, raw]) => {
    const field = nonNull(raw);
    const label = required.has(name) ? name : `${name}?`;
    if (field.items) {
      const element = nonNull(field.items);
      return element.properties && (top || isSmallFlatObject(element)) && isSmallFlatObject(element) ? `${label}: [${outline(element, false)}]` : `${label}[]`;
    }
    return field.properties && isSmallFlatObject(field) ? `${label}: ${outline(field, false)}` : label;
  });
  return `{ ${fields.join(', ')} }`;
}

function answerCell(answer: RouteAnswer): string {
  if (!('schema' in answer)) return `${answer.description} (\`${answer.contentType}\`)`;
  const json = z.toJSONSchema(answer.schema, { io: 'output' }) as JsonSchema;
  return json.properties ? `${answer.description}: \`${outline(json)}\`` : answer.description;
}

function statusesCell(declaration: RouteDeclaration): string {
  const byStatus = new Map<number, ProblemVariantInfo[]>();
  for (const variant of problemsOf(declaration)) {
    const info = problemVariantInfo(variant);
    for (const status of info.statuses) byStatus.set(status, [...(byStatus.get(status) ?? []), info]);
  }
  const other = Object.entries(otherAnswersOf(declaration)).map(([status, description]) => `${status} ${description}`);
  const problems = [...byStatus].sort(([a], [b]) => a - b).map(([status, infos]) => `${status} ${byType(infos).map(problemLabel).join(', ')}`);
  return [...other, ...problems].join('; ');
}

function escapeCell(text: string): string {
  return text.replace(/\|/g, '\\|');
}

export function routesTable(routes: Record<string, RouteDeclaration> = apiRoutes): string {
  const rows = Object.values(routes).map((r) => {
    const body = r.body ? ` body \`${outline(z.toJSONSchema(r.body, { io: 'input' }) as JsonSchema)}\`` : '';
    const token = r.write ? ' (bearer token)' : '';
    return `| \`${r.method.toUpperCase()} ${r.path}\`${token}${body} | ${escapeCell(answerCell(r.answer))} | ${escapeCell(statusesCell(r))} |`;
  });
  return ['| route | answer (200) | other statuses and problems |', '| --- | --- | --- |', ...rows].join('\n');
}

export function problemsTable(): string {
  const infos: ProblemVariantInfo[] = Object.values(problemVariants).map(problemVariantInfo);
  const rows = infos.map((info) => {
    const cause = info.causeField ? info.causes.map((c) => `\`${info.causeField}: ${c}\``).join(', ') : '';
    const fields = info.fields.map((f) => `\`${f}\``).join(', ');
    return `| \`${info.type}\` | ${info.statuses.join(', ')} | ${cause} | ${fields} | ${escapeCell(info.description)} | \`${info.name}\` |`;
  });
  return ['| type | status | cause | other fields | when | schema |', '| --- | --- | --- | --- | --- | --- |', ...rows].join('\n');
}

const tables: Record<string, () => string> = { routes: routesTable, problems: problemsTable };

/** docs/api.md with each `<!-- generated:NAME -->` … `<!-- /generated:NAME -->` region written afresh. */
export function withGeneratedTables(markdown: string): string {
  let out = markdown;
  for (const [name, render] of Object.entries(tables)) {
    const start = `<!-- generated:${name} (npm run docs:api) -->`;
    const end = `<!-- /generated:${name} -->`;
    const from = out.indexOf(start);
    const to = out.indexOf(end);
    if (from < 0 || to < from) throw new Error(`docs/api.md has no region ${start} … ${end}`);
    out = `${out.slice(0, from + start.length)}\n${render()}\n${out.slice(to)}`;
  }
  return out;
}
