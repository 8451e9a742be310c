import { z } from 'zod';
import { problemVariant, ProblemType } from './problemBase';

/** Problems of the agent's exposure limits (apps/agent/src/server/eventClientLimit.ts, auth/failedAuthLimiter.ts). */

export const EventStreamsFullProblem = problemVariant(ProblemType.unavailable, [503], {
  reason: z
    .enum(['event-streams-full', 'event-streams-per-address'])
    .describe('event-streams-full: every event stream slot of the agent is taken (--max-event-clients); event-streams-per-address: this client address (an IPv6 /64) holds its share (--max-event-clients-per-address)'),
  limit: z.number().int().positive().describe('the limit that was reached'),
}).describe('no event stream opened: the agent holds as many as it serves at once; Retry-After says when to try again, and a slot frees when a client leaves');

export const AuthFailuresProblem = problemVariant(ProblemType.tooManyFailures, [429], {
  retryAfter: z.number().int().positive().describe('seconds until this address may write again (the Retry-After header says the same)'),
}).describe(
  'a write from a client address (an IPv6 /64) that failed authentication too often (--max-auth-failures within --auth-failure-window-ms): refused before its token is looked at, until the oldest failure leaves the window',
);
