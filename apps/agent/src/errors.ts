/** Errors the agent itself raises; each maps to one problem type in server/problems.ts. */

export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

export class BadRequestError extends Error {
  override readonly name = 'BadRequestError';
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

/**
 * A request body the agent does not read, refused before any route runs: larger than the limit
 * (`too-large`, 413) or not JSON (`not-json`, 415).
 */
export class UnreadableBodyError extends Error {
  override readonly name = 'UnreadableBodyError';
  constructor(
    message: string,
    readonly reason: 'too-large' | 'not-json',
  ) {
    super(message);
  }
}

/**
 * A request Node's HTTP parser refused before Express saw it (the server's clientError): not
 * valid HTTP/1.1, not sent in time, or with headers over Node's 16 kB.
 */
export class MalformedRequestError extends Error {
  override readonly name = 'MalformedRequestError';
  constructor(
    message: string,
    readonly reason: 'malformed' | 'timeout' | 'headers-too-large',
  ) {
    super(message);
  }
}

export class UnavailableError extends Error {
  override readonly name = 'UnavailableError';
}

/** A write without a valid bearer token. `reason` says which, for the WWW-Authenticate header. */
export class UnauthorizedError extends Error {
  override readonly name = 'UnauthorizedError';
  constructor(
    message: string,
    readonly reason: 'missing' | 'invalid',
  ) {
    super(message);
  }
}

/** A write to an agent started with --read-only. */
export class ReadOnlyError extends Error {
  override readonly name = 'ReadOnlyError';
}

/** A kernel write by an agent started with `--kernel none`: it reads a tree and has no kernel to write to. */
export class NoKernelError extends Error {
  override readonly name = 'NoKernelError';
}

/** A request another agent forwarded, for a host this agent does not serve itself (the loop guard). */
export class MisdirectedError extends Error {
  override readonly name = 'MisdirectedError';
  constructor(
    message: string,
    readonly reason: 'forwarded-again' | 'host-header' = 'forwarded-again',
  ) {
    super(message);
  }
}

/**
 * A peer's agent could not be reached (or refused this server's certificate): `sent` says whether
 * the request left this agent, so whether a write may have happened there.
 */
export class PeerError extends Error {
  override readonly name = 'PeerError';
  constructor(
    message: string,
    readonly host: string,
    readonly timeout: boolean,
    readonly sent: boolean,
  ) {
    super(message);
  }
}

/** An event stream refused because the agent holds as many as it serves (server/eventClientLimit.ts). */
export class EventStreamsFullError extends Error {
  override readonly name = 'EventStreamsFullError';
  constructor(
    message: string,
    readonly reason: 'event-streams-full' | 'event-streams-per-address',
    readonly limit: number,
  ) {
    super(message);
  }
}

/** A write from an address that failed authentication too often (auth/failedAuthLimiter.ts); its token was not looked at. */
export class AuthFailuresError extends Error {
  override readonly name = 'AuthFailuresError';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}
