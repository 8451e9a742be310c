import { readFileSync, writeFileSync } from 'node:fs';
import { withGeneratedTables } from '../apps/agent/src/apiDoc';

/** `npm run docs:api`: rewrites the generated tables of docs/api.md from the route declarations and problem schemas. */
const path = new URL('../docs/api.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = withGeneratedTables(before);
if (after !== before) writeFileSync(path, after);
console.log(after === before ? 'docs/api.md is up to date' : 'docs/api.md rewritten');
