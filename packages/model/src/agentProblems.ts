import { z } from 'zod';
import { problemVariant, ProblemType } from './problemBase';

/** Problems of the request itself and of the agent, before any host is touched (apps/agent/src/errors.ts). */

export const UnknownResourceProblem = problemVariant(ProblemType.notFound, [404], {}).describe('no such host, or no API resource at that path');

export const InvalidInputProblem = problemVariant(ProblemType.badRequest, [400], {
  issues: z
    .array(z.object({ path: z.string().describe('the field, dotted ("count", "pf"); empty for the whole body'), message: z.string() }))
    .describe('each field that did not validate'),
}).describe('a path parameter, query or body that does not validate');

export const UnreadableBodyProblem = problemVariant(ProblemType.badRequest, [400, 413, 415], {}).describe(
  'a body that is not valid JSON (400), larger than 64 kB (413), or one that is not application/json or in an encoding or charset the agent does not read (415)',
);

export const MalformedRequestProblem = problemVariant(ProblemType.badRequest, [400, 408, 431], {}).describe(
  "a request Node's HTTP parser refused before any route saw it: not HTTP/1.1 as it must be (400), not sent in time — headers within 10 s, the whole request within 30 s (408) — or with a request line and headers over 16 kB (431); the connection is closed",
);

export const UnauthorizedProblem = problemVariant(ProblemType.unauthorized, [401], {}).describe(
  'a write without the bearer token, or with a wrong one; WWW-Authenticate says which',
);

export const ReadOnlyProblem = problemVariant(ProblemType.readOnly, [403], {}).describe('a write to an agent started with --read-only');

export const UnavailableProblem = problemVariant(ProblemType.unavailable, [503], {}).describe('the server cannot answer for the host now');

export const InternalProblem = problemVariant(ProblemType.internal, [500], {}).describe('the agent failed unexpectedly; its log has the details');

export const PeerProblem = problemVariant(ProblemType.peer, [502, 504], {
  host: z.string().describe('the host whose agent did not answer'),
  sent: z
    .boolean()
    .describe('false: nothing reached the host; true: the request was sent and no answer came, so a write may have happened there (its audit log says)'),
}).describe("the agent of the host the request is for could not be reached, refused this server's certificate or credential (502), or did not answer in time (504)");

export const MisdirectedProblem = problemVariant(ProblemType.misdirected, [421], {
  reason: z
    .enum(['forwarded-again', 'host-header'])
    .describe('forwarded-again: another agent forwarded it, for a host this agent does not serve itself; host-header: the Host header names none of the names this agent answers to'),
}).describe(
  'a request this agent will not answer where it was sent: a forwarded request is never forwarded again, and a Host header that is not one of its names is refused (a page on another site reaching a loopback agent through DNS rebinding)',
);

export const PreconditionFailedProblem = problemVariant(ProblemType.preconditionFailed, [412], {
  etag: z.string().describe("the host topology's ETag now, as GET topology sends it: read the topology again and decide on what it shows"),
  pfEtag: z.string().describe("the ETag of the PF's part of the topology now (the PF of the VF, for an assignment): what If-Match may name instead of the topology's"),
  pf: z.string().describe('the PF the write was for (the PF of the VF, for an assignment)'),
}).describe(
  "If-Match named neither the host topology's current ETag nor its PF's: the host changed after the client read it, so the write was not attempted (checked in the PF's queue turn, against the host as it is when the write's turn comes)",
);
