import type { Duplex } from 'node:stream';
import { HELPER_MAX_REPLY_BYTES, type HelperReply, type HelperRequest, type HelperResult } from '@vfmap/model';
import type { Logger } from '../logger';
import { checkHelperRequest, parseHelperMessage, type HelperCheckContext } from './helperChecks';
import { HelperRefused, toHelperFailure } from './helperErrors';
import type { HelperSteps } from './helperSteps';
import { readLines, writeLine } from './lineChannel';

export interface HelperServiceOptions {
  checks: HelperCheckContext;
  steps: HelperSteps;
  logger: Logger;
  /**
   * Called before each message is run: throws a HelperRefused('peer-refused') when the peer is not
   * (or no longer) the HTTP side's user. The split agent checks its child's /proc status here.
   */
  admit?: () => Promise<void>;
}

/**
 * The root helper's side of one connection: each line is parsed, checked (helperChecks.ts) and,
 * only then, run; its answer goes back with the message's id. A refused message is answered and
 * the connection stays open, except after an oversize line, which cannot be framed past.
 */
export function serveHelperConnection(socket: Duplex, options: HelperServiceOptions): void {
  const { logger } = options;
  const reply = (message: HelperReply) => {
    if (socket.destroyed || !socket.writable) return;
    const line = JSON.stringify(message);
    const bytes = Buffer.byteLength(line) + 1;
    // A longer reply would make the HTTP side drop the connection: it gets a failure that says why.
    if (bytes > HELPER_MAX_REPLY_BYTES) {
      logger.warn({ id: message.id, bytes }, 'helper reply too large; sent a failure instead');
      const tooLarge = new Error(`the root helper's answer is ${bytes} bytes, more than the ${HELPER_MAX_REPLY_BYTES} the HTTP side accepts`);
      writeLine(socket, { id: message.id, ok: false, error: toHelperFailure(tooLarge) } satisfies HelperReply);
      return;
    }
    socket.write(`${line}\n`);
  };
  socket.on('error', (err) => logger.warn({ err }, 'helper connection failed'));
  readLines(
    socket,
    (line) => {
      let request: HelperRequest;
      try {
        request = parseHelperMessage(line);
        checkHelperRequest(request, options.checks);
      } catch (err) {
        const id = idOf(line);
        logger.warn({ id, reason: err instanceof HelperRefused ? err.reason : 'error', err }, 'helper refused a message');
        reply({ id, ok: false, error: toHelperFailure(err) });
        return;
      }
      run(request, options).then(
        (result) => {
          // listVms and runningHolders come with every topology check, sriovCapabilities with every checks read: not worth a line each.
          logger[request.op === 'listVms' || request.op === 'runningHolders' || request.op === 'sriovCapabilities' ? 'debug' : 'info']({ op: request.op, id: request.id }, 'helper step done');
          reply({ id: request.id, ok: true, result });
        },
        (err: unknown) => {
          logger.info({ op: request.op, id: request.id, err }, 'helper step failed');
          reply({ id: request.id, ok: false, error: toHelperFailure(err) });
        },
      );
    },
    () => {
      logger.warn('helper refused an oversize message and closed the connection');
      reply({ id: 0, ok: false, error: toHelperFailure(new HelperRefused('too-large', 'the message is larger than the helper accepts')) });
      socket.end();
    },
  );
}

async function run(request: HelperRequest, { steps, admit }: HelperServiceOptions): Promise<HelperResult | null> {
  await admit?.();
  switch (request.op) {
    case 'setNumVfs':
      await steps.setNumVfs(request.pf, request.count);
      return null;
    case 'attach':
      return steps.attach(request.vmId, request.address);
    case 'detach':
      return steps.detach(request.vmId, request.address);
    case 'listVms':
      return { states: Object.fromEntries(await steps.listVms()) };
    case 'runningHolders':
      return { running: await steps.runningHolders() };
    case 'sriovCapabilities':
      return { capabilities: await steps.sriovCapabilities(request.addresses) };
    case 'setVfConfig':
      return { applied: await steps.setVfConfig(request.pf, request.vfIndex, request.change) };
    case 'setVfDriver':
      await steps.setVfDriver(request.vf, request.driver);
      return null;
    case 'setDriversAutoprobe':
      await steps.setDriversAutoprobe(request.pf, request.enabled);
      return null;
    case 'writePersistence':
      return steps.writePersistence(request.pf, request.desired, request.mode);
  }
}

/** The id of a refused message when it has a readable one, so the sender's call ends; else 0. */
function idOf(line: string): number {
  try {
    const id = (JSON.parse(line) as { id?: unknown } | null)?.id;
    return typeof id === 'number' && Number.isSafeInteger(id) && id > 0 ? id : 0;
  } catch {
    return 0;
  }
}
