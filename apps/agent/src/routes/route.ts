import type { Request, RequestHandler, Response, Router } from 'express';
import type { z } from 'zod';
import { AuthFailuresProblem, InternalProblem, InvalidInputProblem, MalformedRequestProblem, ReadOnlyProblem, UnauthorizedProblem, UnreadableBodyProblem, type OperationKind, type ProblemVariant } from '@vfmap/model';

/** What a route answers when it succeeds: JSON of a schema, or a body of its own content type. */
export type RouteAnswer = { description: string; schema: z.ZodType } | { description: string; contentType: string };

/**
 * One HTTP route, declared once as data: Express mounts it (mountRoutes), the OpenAPI document
 * and docs/api.md are written from it. `path` is in Express's syntax (`:host`); `params` has one
 * member per path parameter.
 */
export interface RouteDeclaration {
  method: 'get' | 'put' | 'post' | 'delete';
  path: string;
  summary: string;
  params: z.ZodObject;
  query?: z.ZodObject;
  body?: z.ZodType;
  /** Needs the bearer token, and is this operation: requireWriter runs first, refusing with 401, 403 or 429 (and auditing that as this operation). */
  write?: OperationKind;
  /** Takes an optional If-Match (operations/precondition.ts); the document lists the header. */
  ifMatch?: boolean;
  /** The answer with 200. */
  answer: RouteAnswer;
  /** Other statuses that are not problems (304). */
  otherAnswers?: Readonly<Record<number, string>>;
  /** The problems the handler itself can cause; problemsOf adds those of what mountRoutes puts around it. */
  problems: readonly ProblemVariant[];
}

/** Declares a route, keeping the types of its schemas for its handler. */
export function route<const R extends RouteDeclaration>(declaration: R): R {
  return declaration;
}

/** Returned by a handler that wrote its answer itself (a 304, an event stream, plain text). */
export const ANSWERED = Symbol('answered');

type Out<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface RouteInput<R extends RouteDeclaration> {
  params: z.output<R['params']>;
  query: Out<R['query']>;
  body: Out<R['body']>;
}

type HandlerResult<R extends RouteDeclaration> = (R['answer'] extends { schema: infer S extends z.ZodType } ? z.input<S> : never) | typeof ANSWERED;

/** What a route does, given its parameters, query and body already parsed with its schemas. */
export type RouteHandler<R extends RouteDeclaration> = (input: RouteInput<R>, req: Request, res: Response) => HandlerResult<R> | Promise<HandlerResult<R>>;

export type RouteHandlers<T extends Record<string, RouteDeclaration>> = { [K in keyof T]: RouteHandler<T[K]> };

/**
 * Mounts exactly the declared routes, each with its handler: the write guard for a write route,
 * then its path parameters, query and body parsed with its schemas (a mismatch is a 400 problem),
 * then the handler, whose value is sent as JSON.
 */
export function mountRoutes<T extends Record<string, RouteDeclaration>>(router: Router, routes: T, handlers: RouteHandlers<T>, requireWriter: (operation: OperationKind) => RequestHandler): void {
  for (const [key, declaration] of Object.entries(routes)) {
    // RouteHandlers<T> gives each declaration its handler; here both are seen as any route's.
    const handler = handlers[key as keyof T] as unknown as RouteHandler<RouteDeclaration>;
    const guards = declaration.write ? [requireWriter(declaration.write)] : [];
    router[declaration.method](declaration.path, ...guards, async (req: Request, res: Response) => {
      const input = {
        params: declaration.params.parse(req.params),
        query: declaration.query?.parse(req.query),
        body: declaration.body?.parse(req.body),
      } as RouteInput<RouteDeclaration>;
      const answer = await handler(input, req, res);
      if (answer !== ANSWERED) res.json(answer);
    });
  }
}

/**
 * What a route answers besides 200 and its problems: its own statuses (the topology's 304), and,
 * for a GET answered whole, 304 to `If-None-Match: *`: Express evaluates that precondition as RFC
 * 9110 §13.1.2 has an origin server do — the resource exists — though only the topology sends an
 * ETag that a list of tags could match.
 */
export function otherAnswersOf(declaration: RouteDeclaration): Record<number, string> {
  const stream = 'contentType' in declaration.answer && declaration.answer.contentType === 'text/event-stream';
  const conditional: Record<number, string> = declaration.method === 'get' && !stream ? { 304: 'If-None-Match: * (the resource exists)' } : {};
  return { ...conditional, ...declaration.otherAnswers };
}

/**
 * Every problem a route can answer with: its handler's, the write guard's (401, 403, and 429 for an address that failed authentication too often), the
 * parsing's (400 for a path parameter, query or body that does not validate), the request
 * guards' and express.json()'s for any route (server/requestGuards.ts: a path that is not valid
 * percent-encoding, a body that is not JSON or over 64 kB: 400, 413, 415), Node's parser's for
 * any request (server/listen.ts: not HTTP, not sent in time, headers too large: 400, 408, 431),
 * and an unexpected failure (500), which any route can have.
 */
export function problemsOf(declaration: RouteDeclaration): ProblemVariant[] {
  const validated = declaration.body || declaration.query || Object.keys(declaration.params.shape).length > 0 ? [InvalidInputProblem] : [];
  const guarded = declaration.write ? [UnauthorizedProblem, ReadOnlyProblem, AuthFailuresProblem] : [];
  return [...new Set<ProblemVariant>([UnreadableBodyProblem, MalformedRequestProblem, ...validated, ...guarded, ...declaration.problems, InternalProblem])];
}
