import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { readBoundedFile } from './readBoundedFile';
import { SourceReadError } from './sourceErrors';

const dir = mkdtempSync(join(tmpdir(), 'vfmap-bounded-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('readBoundedFile', () => {
  it('reads a file up to the limit, without a byte-order mark', async () => {
    const path = join(dir, 'fits');
    writeFileSync(path, `\uFEFF${'x'.repeat(200_000 - 3)}`);
    expect(await readBoundedFile(path, 200_000)).toBe('x'.repeat(200_000 - 3));
  });

  it('refuses a file one byte over the limit, naming it', async () => {
    const path = join(dir, 'over');
    writeFileSync(path, 'x'.repeat(1024 * 1024 + 1));
    await expect(readBoundedFile(path, 1024 * 1024)).rejects.toThrow(`${path} is larger than 1 MiB`);
  });

  it('says a missing file is missing, with its errno code', async () => {
    const path = join(dir, 'absent');
    const err = await readBoundedFile(path, 10).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SourceReadError);
    expect(err).toMatchObject({ code: 'ENOENT', file: path, message: `cannot read ${path}: no such file` });
  });
});
