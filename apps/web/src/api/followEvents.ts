import { VfmapEvent } from '@vfmap/model';
import { EVENT_STREAM_CLOSED, type EventStream } from './apiClient';

/** An endpoint that refused the stream (404 before the agent had events) is asked again this late. */
export const REOPEN_MS = 30_000;

export interface FollowOptions {
  open: (url: string) => EventStream;
  url: string;
  /** The event names to listen to ('message' for unnamed events). */
  names: readonly string[];
  /** Each event that parses with the model's schema; others (a newer agent's) are left out. */
  onEvent: (event: VfmapEvent) => void;
  /** The stream opened (true; whatever changed while it was down should be read now) or dropped (false). */
  onConnected: (connected: boolean) => void;
}

/**
 * Follows a server-sent event stream: EventSource reconnects by itself after a dropped stream, but
 * gives up for good (CLOSED) when the endpoint answers with an error or not as text/event-stream;
 * then the stream is opened again after REOPEN_MS. Returns the function that stops it.
 */
export function followEvents({ open, url, names, onEvent, onConnected }: FollowOptions): () => void {
  let stream: EventStream | null = null;
  let reopen: ReturnType<typeof setTimeout> | undefined;
  let disposed = false;

  const onData = (raw: string) => {
    let json: unknown;
    try {
      json = JSON.parse(raw);
    } catch {
      return;
    }
    const parsed = VfmapEvent.safeParse(json);
    if (parsed.success) onEvent(parsed.data);
  };

  const connect = () => {
    if (disposed) return;
    const s = open(url);
    stream = s;
    s.onopen = () => onConnected(true);
    s.onerror = () => {
      onConnected(false);
      if (s.readyState === EVENT_STREAM_CLOSED) {
        s.close();
        reopen = setTimeout(connect, REOPEN_MS);
      }
    };
    for (const name of names) s.addEventListener(name, (ev) => onData(ev.data));
  };
  connect();

  return () => {
    disposed = true;
    clearTimeout(reopen);
    stream?.close();
  };
}
