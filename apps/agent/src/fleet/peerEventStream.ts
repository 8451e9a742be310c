import http from 'node:http';
import https from 'node:https';
import { VfmapEvent } from '@vfmap/model';

export interface PeerEventStreamOptions {
  url: () => URL;
  transport: http.Agent;
  headers: () => Record<string, string>;
  onEvent: (event: VfmapEvent) => void;
  /** The stream broke or could not be opened (the peer's status learns of it). */
  onDown: (err: Error) => void;
  /** Without a byte for this long (the agent sends a comment every 15 s) the stream is taken as dead. */
  silenceMs?: number;
  retryMs?: number;
  retryMaxMs?: number;
}

/**
 * One server-sent event stream from a peer, kept open while `open()` holds: reconnects with a
 * backoff and resumes with Last-Event-ID, so events sent while the connection was down are not
 * lost when the peer still has them.
 */
export class PeerEventStream {
  private wanted = false;
  private request: http.ClientRequest | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  private silenceTimer: NodeJS.Timeout | null = null;
  private lastEventId: string | null = null;
  private failures = 0;

  constructor(private readonly options: PeerEventStreamOptions) {}

  open(): void {
    if (this.wanted) return;
    this.wanted = true;
    this.connect();
  }

  close(): void {
    this.wanted = false;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    if (this.silenceTimer) clearTimeout(this.silenceTimer);
    this.retryTimer = null;
    this.silenceTimer = null;
    this.request?.destroy();
    this.request = null;
  }

  private connect(): void {
    const url = this.options.url();
    const request = url.protocol === 'https:' ? https.request : http.request;
    const headers: Record<string, string> = { accept: 'text/event-stream', ...this.options.headers() };
    if (this.lastEventId) headers['last-event-id'] = this.lastEventId;
    const req = request(url, { agent: this.options.transport, headers });
    this.request = req;
    let broken = false;
    const broke = (err: Error) => {
      if (broken || this.request !== req) return;
      broken = true;
      req.destroy();
      this.request = null;
      if (!this.wanted) return;
      this.options.onDown(err);
      this.failures += 1;
      const wait = Math.min((this.options.retryMs ?? 1000) * 2 ** (this.failures - 1), this.options.retryMaxMs ?? 30_000);
      this.retryTimer = setTimeout(() => {
        this.retryTimer = null;
        if (this.wanted) this.connect();
      }, wait);
      this.retryTimer.unref();
    };
    const heard = () => {
      if (this.silenceTimer) clearTimeout(this.silenceTimer);
      this.silenceTimer = setTimeout(() => broke(new Error(`${url.host}: the event stream went silent`)), this.options.silenceMs ?? 45_000);
      this.silenceTimer.unref();
    };
    heard();
    req.on('error', broke);
    req.on('response', (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        broke(new Error(`${url.host} answered the event stream with ${res.statusCode}`));
        return;
      }
      this.failures = 0;
      res.setEncoding('utf8');
      let buffer = '';
      let event: { data: string[]; id: string | null } = { data: [], id: null };
      res.on('data', (chunk: string) => {
        heard();
        buffer += chunk;
        let nl: number;
        while ((nl = buffer.indexOf('\n')) >= 0) {
          const line = buffer.slice(0, nl).replace(/\r$/, '');
          buffer = buffer.slice(nl + 1);
          if (line === '') {
            if (event.data.length > 0) this.deliver(event.data.join('\n'), event.id);
            event = { data: [], id: null };
          } else if (line.startsWith('data:')) event.data.push(line.slice(5).replace(/^ /, ''));
          else if (line.startsWith('id:')) event.id = line.slice(3).trim();
        }
      });
      res.on('end', () => broke(new Error(`${url.host} closed the event stream`)));
      res.on('error', broke);
    });
    req.end();
  }

  private deliver(data: string, id: string | null): void {
    if (id) this.lastEventId = id;
    let parsed: ReturnType<typeof VfmapEvent.safeParse>;
    try {
      parsed = VfmapEvent.safeParse(JSON.parse(data));
    } catch {
      return;
    }
    // An event of a kind this agent does not know (a newer peer) is left out, not fatal.
    if (parsed.success) this.options.onEvent(parsed.data);
  }
}
