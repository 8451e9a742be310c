import { pino, type Logger } from 'pino';

export type { Logger };

/** Structured JSON logs on stderr (stdout stays for what the CLI prints for people and scripts). */
export function createLogger(level: string): Logger {
  return pino({ level, base: { app: 'vfmap' } }, pino.destination(2));
}
