/** What a pure parser returns: the value, or why the text could not be read. */
export type ParseResult<T> = { ok: true; value: T } | { ok: false; error: string };

export function parsed<T>(value: T): ParseResult<T> {
  return { ok: true, value };
}

export function notParsed<T>(error: string): ParseResult<T> {
  return { ok: false, error };
}
