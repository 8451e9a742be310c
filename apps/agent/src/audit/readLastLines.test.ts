import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readLastLines } from './readLastLines';

const dir = mkdtempSync(join(tmpdir(), 'vfmap-tail-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, text: string) => {
  const path = join(dir, name);
  writeFileSync(path, text);
  return path;
};

describe('readLastLines', () => {
  const lines = Array.from({ length: 50 }, (_, i) => `{"n":${i},"text":"ünïcödé ${'x'.repeat(i)}"}`);
  const path = file('log.jsonl', `${lines.join('\n')}\n`);

  it('gives the last lines newest first, whatever the chunk size', async () => {
    const expected = lines.slice(-7).reverse();
    for (const chunk of [1, 3, 17, 64, 1 << 16]) expect(await readLastLines(path, 7, chunk)).toEqual(expected);
  });

  it('gives every line of a file shorter than asked for', async () => {
    expect(await readLastLines(path, 500, 13)).toEqual([...lines].reverse());
  });

  it('keeps a last line without a newline (torn by a crash) and skips empty lines', async () => {
    const torn = file('torn.jsonl', 'one\n\ntwo\n{"half":');
    expect(await readLastLines(torn, 10, 4)).toEqual(['{"half":', 'two', 'one']);
  });

  it('has no lines for a missing or empty file', async () => {
    expect(await readLastLines(join(dir, 'absent.jsonl'), 10)).toEqual([]);
    expect(await readLastLines(file('empty.jsonl', ''), 10)).toEqual([]);
  });
});
