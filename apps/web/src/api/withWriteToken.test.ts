import { ProblemType } from '@vfmap/model';
import { describe, expect, it } from 'vitest';
import { ApiError } from './apiError';
import { withWriteToken, type TokenAsk, type TokenSource } from './withWriteToken';

/** A token source that answers the dialog with the next of `answers`, and records what happened. */
function source(stored: string | null, answers: (string | null)[]) {
  const log: string[] = [];
  let token = stored;
  const access: TokenSource = {
    currentToken: () => token,
    askToken: (reason: TokenAsk) => {
      log.push(`ask:${reason}`);
      token = answers.shift() ?? null;
      return Promise.resolve(token);
    },
    forgetToken: () => {
      log.push('forget');
      token = null;
    },
    markReadOnly: (detail) => log.push(`read-only:${detail}`),
  };
  return { access, log };
}

const problem = (type: string, status: number, detail: string) =>
  new ApiError({ kind: 'problem', url: 'http://agent/x', problem: { type, title: 't', status, detail } });

describe('withWriteToken', () => {
  it('sends with the token it has, without asking', async () => {
    const { access, log } = source('kept-token', []);
    expect(await withWriteToken(access, (t) => Promise.resolve(`sent with ${t}`))).toBe('sent with kept-token');
    expect(log).toEqual([]);
  });

  it('asks for a token when it has none', async () => {
    const { access, log } = source(null, ['typed-token']);
    expect(await withWriteToken(access, (t) => Promise.resolve(t))).toBe('typed-token');
    expect(log).toEqual(['ask:first']);
  });

  it('forgets a token the agent refuses (401), asks again saying so, and sends again', async () => {
    const { access, log } = source('stale-token', ['good-token']);
    const sent: string[] = [];
    const result = await withWriteToken(access, (t) => {
      sent.push(t);
      return t === 'good-token' ? Promise.resolve('ok') : Promise.reject(problem(ProblemType.unauthorized, 401, 'not this agent\'s token'));
    });
    expect(result).toBe('ok');
    expect(sent).toEqual(['stale-token', 'good-token']);
    expect(log).toEqual(['forget', 'ask:rejected']);
  });

  it('writes nothing when the person cancels the dialog', async () => {
    const { access } = source(null, [null]);
    let sends = 0;
    expect(await withWriteToken(access, () => Promise.resolve(++sends))).toBeNull();
    expect(sends).toBe(0);
  });

  it('remembers a read-only agent and passes its refusal on', async () => {
    const { access, log } = source('token', []);
    const refusal = problem(ProblemType.readOnly, 403, 'This agent runs with --read-only');
    await expect(withWriteToken(access, () => Promise.reject(refusal))).rejects.toBe(refusal);
    expect(log).toEqual(['read-only:This agent runs with --read-only']);
  });

  it('passes any other failure on without touching the token', async () => {
    const { access, log } = source('token', []);
    const conflict = problem(ProblemType.conflict, 409, 'VMs hold VFs');
    await expect(withWriteToken(access, () => Promise.reject(conflict))).rejects.toBe(conflict);
    expect(log).toEqual([]);
  });
});
