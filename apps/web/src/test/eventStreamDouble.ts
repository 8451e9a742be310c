import { EVENT_STREAM_CLOSED, EVENT_STREAM_OPEN, type EventStream } from '../api/apiClient';

/**
 * A stand-in for the browser's EventSource (Node has none): the test plays the server side,
 * opening the stream, sending events and failing it the ways EventSource reports.
 */
export class EventStreamDouble implements EventStream {
  readyState = 0;
  onopen: ((ev: Event) => unknown) | null = null;
  onerror: ((ev: Event) => unknown) | null = null;
  closed = false;
  private readonly listeners = new Map<string, ((ev: MessageEvent<string>) => void)[]>();

  constructor(readonly url: string) {}

  addEventListener(type: string, listener: (ev: MessageEvent<string>) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.closed = true;
    this.readyState = EVENT_STREAM_CLOSED;
  }

  open(): void {
    this.readyState = EVENT_STREAM_OPEN;
    this.onopen?.(new Event('open'));
  }

  /** An event as the agent sends it: `event: <type>` and a JSON `data:` line. */
  send(type: string, data: unknown): void {
    const ev = new MessageEvent<string>(type, { data: JSON.stringify(data) });
    for (const l of this.listeners.get(type) ?? []) l(ev);
  }

  /** The endpoint answered 404 or not as text/event-stream: EventSource gives up. */
  refuse(): void {
    this.readyState = EVENT_STREAM_CLOSED;
    this.onerror?.(new Event('error'));
  }

  /** The connection dropped: EventSource reconnects by itself. */
  drop(): void {
    this.readyState = 0;
    this.onerror?.(new Event('error'));
  }
}

export function eventStreams() {
  const opened: EventStreamDouble[] = [];
  return {
    opened,
    open: (url: string) => {
      const s = new EventStreamDouble(url);
      opened.push(s);
      return s;
    },
  };
}
