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
