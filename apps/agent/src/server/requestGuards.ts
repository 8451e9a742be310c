import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { BadRequestError, UnreadableBodyError } from '../errors';

/** The largest request body the agent reads: its bodies are a VF count or a VM id. */
export const BODY_LIMIT_BYTES = 64 * 1024;

/**
 * Refuses, before any route runs, what no route can read:
 * - a path that is not valid percent-encoding (`%zz`, `%`, `%u0000`, a cut UTF-8 sequence): the
 *   router would throw a URIError decoding it as a parameter (400);
 * - a body that declares more bytes than the agent reads (413, at once): express.json() would
 *   first read off the whole declared length, so `Content-Length: 999999999` held the connection
 *   with no answer. The connection is closed once the answer is out, as nothing else can follow
 *   on it;
 * - a body that is not `application/json` (415): express.json() leaves any other type unread, so
 *   a form post or text/plain reached the route as "no body" — and a route without a body ran.
 * - a body with parameters of its Content-Type that cannot be read, or with a Content-Encoding
 *   (415): express.json() would read either as plain UTF-8 JSON.
 * Every request is held to this, whatever its route: the agent reads bodies only as JSON.
 */
export function refuseUnreadableRequests(limitBytes = BODY_LIMIT_BYTES): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    if (!isPercentEncoded(req.path)) {
      next(new BadRequestError(`The request path is not valid percent-encoding: ${JSON.stringify(req.path)}`));
      return;
    }
    const declared = req.headers['content-length'] === undefined ? null : Number(req.headers['content-length']);
    if (declared !== null && declared > limitBytes) {
      closeAfterAnswer(req, res);
      next(new UnreadableBodyError(`The request body declares ${declared} bytes; the agent reads at most ${limitBytes}.`, 'too-large'));
      return;
    }
    const hasBody = req.headers['transfer-encoding'] !== undefined || (declared !== null && declared > 0);
    if (hasBody && (mediaType(req.headers['content-type']) !== 'application/json' || !wellFormedParameters(req.headers['content-type']))) {
      next(new UnreadableBodyError(`The agent reads request bodies as application/json only, not ${req.headers['content-type'] ?? 'a body without a Content-Type'}.`, 'not-json'));
      return;
    }
    // express.json() passes `identity` through and inflates gzip, deflate and br: the agent's bodies
    // are a few bytes of JSON, sent as they are, so a body with any coding is refused as the rest.
    if (hasBody && req.headers['content-encoding'] !== undefined) {
      next(new UnreadableBodyError(`The agent reads request bodies as they are, with no Content-Encoding; this one has ${JSON.stringify(req.headers['content-encoding'].slice(0, 40))}.`, 'not-json'));
      return;
    }
    next();
  };
}

function isPercentEncoded(path: string): boolean {
  if (!path.includes('%')) return true;
  try {
    decodeURIComponent(path);
    return true;
  } catch {
    return false;
  }
}

const TOKEN = "[!#$%&'*+.^_`|~0-9A-Za-z-]+";
const QUOTED = '"(?:[^"\\\\]|\\\\.)*"';
const PARAMETERS = new RegExp(`^[^;]*(?:;\\s*${TOKEN}=(?:${TOKEN}|${QUOTED})\\s*)*;?\\s*$`);

/**
 * The Content-Type's parameters can be read (RFC 9110 §5.6.6): express.json() reads a body whose
 * parameters it cannot parse (`charset="`) as if it had none — as UTF-8 JSON — where the client
 * may have meant anything; such a body is refused with the others.
 */
function wellFormedParameters(contentType: string | undefined): boolean {
  return contentType !== undefined && PARAMETERS.test(contentType);
}

function mediaType(contentType: string | undefined): string | null {
  return contentType === undefined ? null : contentType.split(';', 1)[0]!.trim().toLowerCase();
}

/**
 * Answers with `Connection: close` and ends the connection once the answer is flushed. The rest
 * of the body is read off (and dropped) meanwhile: closing a socket with unread data makes the
 * kernel send a reset, which can reach the client before the answer does.
 */
function closeAfterAnswer(req: Request, res: Response): void {
  res.setHeader('Connection', 'close');
  req.resume();
  res.on('finish', () => req.socket.destroy());
}
