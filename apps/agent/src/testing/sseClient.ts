import { VfmapEvent } from '@vfmap/model';

export interface SseMessage {
  event: string;
  data: string;
}

/**
 * Test support: reads a server-sent event stream with fetch, as an EventSource would parse it
 * (Node 20 has no EventSource): `event:` and `data:` fields, a blank line ends a message, lines
 * starting with ':' are comments. Keeps everything it received for the test to look at.
 */
export class SseClient {
  readonly messages: SseMessage[] = [];
  readonly comments: string[] = [];
  status = 0;
  contentType = '';
  private readonly controller = new AbortController();
  private waiters: Array<() => void> = [];
  private closed = false;

  static async open(url: string): Promise<SseClient> {
    const client = new SseClient();
    const res = await fetch(url, { signal: client.controller.signal, headers: { Accept: 'text/event-stream' } });
    client.status = res.status;
    client.contentType = res.headers.get('content-type') ?? '';
    if (res.body) void client.read(res.body);
    return client;
  }

  /** The events received, parsed with the model's schema. */
  events(): VfmapEvent[] {
    return this.messages.map((m) => {
      const event = VfmapEvent.parse(JSON.parse(m.data));
      if (event.type !== m.event) throw new Error(`"event: ${m.event}" carries a ${event.type}`);
      return event;
    });
  }

  /** Resolves once `predicate` holds for what was received; rejects after `timeoutMs` (a safety net, not an assertion on time). */
  async until(predicate: (client: SseClient) => boolean, timeoutMs = 15_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate(this)) {
      if (this.closed) throw new Error('the stream ended before the condition held');
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`the condition did not hold within ${timeoutMs} ms; received ${JSON.stringify(this.messages)}`);
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, left);
        this.waiters.push(() => {
          clearTimeout(timer);
          resolve();
        });
      });
    }
  }

  close(): void {
    this.controller.abort();
  }

  private notify(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) w();
  }

  private async read(body: ReadableStream<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    let buffer = '';
    let event = 'message';
    let data: string[] = [];
    try {
      const reader = body.getReader();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        buffer += decoder.decode(value, { stream: true });
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl).replace(/\r$/, '');
          buffer = buffer.slice(nl + 1);
          if (line === '') {
            if (data.length > 0) this.messages.push({ event, data: data.join('\n') });
            event = 'message';
            data = [];
          } else if (line.startsWith(':')) this.comments.push(line.slice(1).trim());
          else if (line.startsWith('event:')) event = line.slice(6).trim();
          else if (line.startsWith('data:')) data.push(line.slice(5).replace(/^ /, ''));
        }
        this.notify();
      }
    } catch {
      // aborted by close(), or the server went away
    } finally {
      this.closed = true;
      this.notify();
    }
  }
}
