import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isBarrel } from './firstLoadChunks';
import { exportedNames, LEFT_OUT, stubModule } from './leaveOutJsonSchema';

const require = createRequire(import.meta.url);
/** A file of zod's ESM build (its package exports only name the entry points). */
const zodFile = (path: string) => join(dirname(require.resolve('zod/package.json')), path);

describe('isBarrel', () => {
  it('is a module of re-exports only, comments and blank lines allowed', () => {
    expect(isBarrel("export * from './a';\n// the b\nexport * from './b';\n")).toBe(true);
    expect(isBarrel("/** x */\nexport { a, b as c } from './a';\nexport * as ns from './n';")).toBe(true);
    expect(readFileSync(new URL('../../packages/model/src/index.ts', import.meta.url), 'utf8')).toSatisfy(isBarrel);
  });
  it('is not a module with code of its own', () => {
    expect(isBarrel("export * from './a';\nexport const b = 1;")).toBe(false);
    expect(isBarrel("import { a } from './a';\nexport { a };")).toBe(false);
    expect(isBarrel('')).toBe(false);
  });
});

describe('leaving zod JSON Schema conversion out of the page', () => {
  const files = ['json-schema-processors.js', 'to-json-schema.js'].map((f) => zodFile(`v4/core/${f}`));

  it('matches the two converter modules and no other zod module', () => {
    for (const f of files) expect(f).toMatch(LEFT_OUT);
    expect(zodFile('v4/core/schemas.js')).not.toMatch(LEFT_OUT);
    expect(zodFile('v4/classic/schemas.js')).not.toMatch(LEFT_OUT);
  });

  it('reads every export name, in each form a module can declare one', () => {
    expect(exportedNames('export function a() {}\nexport const b = 1;\nexport async function c() {}\nexport { d, e as f };\nexport class G {}\nexport default 1;')).toEqual(['G', 'a', 'b', 'c', 'd', 'default', 'f']);
    expect(exportedNames("export { x } from './y';")).toEqual([]);
  });

  it('stubs the names zod imports from them (a zod upgrade keeps the stub whole)', async () => {
    for (const f of files) {
      const names = exportedNames(readFileSync(f, 'utf8'));
      expect(names.length).toBeGreaterThan(5);
      const url = `data:text/javascript;base64,${Buffer.from(stubModule(names)).toString('base64')}`;
      const stub = (await import(url)) as Record<string, unknown>;
      expect(Object.keys(stub).sort()).toEqual(names);
    }
    // What zod's classic schemas import from them by name is among the names read.
    const classic = readFileSync(zodFile('v4/classic/schemas.js'), 'utf8');
    const named = /import\s*\{([^}]*)\}\s*from\s*"\.\.\/core\/to-json-schema\.js"/.exec(classic)?.[1]?.split(',').map((s) => s.trim());
    expect(named).toBeDefined();
    expect(exportedNames(readFileSync(files[1]!, 'utf8'))).toEqual(expect.arrayContaining(named!));
  });

  it('throws a clear error when anything calls the conversion, and a factory returns a function that does', async () => {
    const stub = (await import(`data:text/javascript;base64,${Buffer.from(stubModule(['toJSONSchema', 'createToJSONSchemaMethod'])).toString('base64')}`)) as Record<string, () => unknown>;
    expect(() => stub.toJSONSchema!()).toThrow(/JSON Schema conversion is not part of the page's build/);
    const method = stub.createToJSONSchemaMethod!() as () => unknown;
    expect(method).toBeTypeOf('function');
    expect(method).toThrow(/not part of the page's build/);
  });
});
