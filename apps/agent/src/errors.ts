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
