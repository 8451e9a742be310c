import { spawn } from 'node:child_process';
import { readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDir } from '../testing/simAgent';
import { OperationJournal, processAlive, type RunningOperation } from './operationJournal';

let dir: string | undefined;
const stops: (() => void)[] = [];
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const mark = (id: string, pid: number): RunningOperation => ({
  version: 1,
  id,
  pid,
  startedAt: '2026-01-01T00:00:00.000Z',
  host: 'h',
  who: { principal: 'token:abcd1234', address: '127.0.0.1' },
  operation: 'numvfs',
  target: '0000:18:00.0',
  request: { count: 16 },
  before: { numVfs: 0, driver: 'ice', held: [] },
});

const stateOf = (pid: number) => {
  const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
  return stat.charAt(stat.lastIndexOf(')') + 2);
};

/** A real zombie: a short `sleep`, run in the background by a shell that then becomes `sleep 30`, which never waits for it (the child outlives the exec, so the shell cannot reap it first). */
async function zombieAndParent(): Promise<{ zombie: number; parent: number }> {
  const sh = spawn('sh', ['-c', 'sleep 0.3 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
  stops.push(() => sh.kill('SIGKILL'));
  const zombie = await new Promise<number>((resolve) => sh.stdout.once('data', (d: Buffer) => resolve(Number(d.toString().trim()))));
  for (let i = 0; i < 400 && stateOf(zombie) !== 'Z'; i++) await new Promise((r) => setTimeout(r, 10));
  return { zombie, parent: sh.pid! };
}

describe('the operation journal', () => {
  it.runIf(process.platform === 'linux')('takes the mark of a zombie (an agent that exited, not yet reaped) as left behind, and keeps the mark of a running process', async () => {
    const { zombie, parent } = await zombieAndParent();
    expect(stateOf(zombie)).toBe('Z');
    expect(processAlive(zombie)).toBe(false);
    expect(processAlive(parent)).toBe(true);
    expect(processAlive(process.pid)).toBe(true);

    dir = tempDir('vfmap-journal-');
    const journal = new OperationJournal(join(dir, 'running'));
    await journal.begin(mark('of-the-zombie', zombie));
    await journal.begin(mark('of-a-running-process', parent));
    expect((await journal.leftBehind()).marks.map((m) => m.id)).toEqual(['of-the-zombie']);
  });
});
