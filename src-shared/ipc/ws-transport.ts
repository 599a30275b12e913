import { PortraitError } from './errors.js';
import type { Transport } from './client.js';
import { WireEvent, WireReply, type ReplyBody } from './wire.js';

/** The part of the WebSocket API we use: satisfied by the browser's and by `ws`. */
export interface SocketLike {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'message', l: (e: { data: unknown }) => void): void;
  addEventListener(type: 'close' | 'open' | 'error', l: (e: unknown) => void): void;
}

/**
 * Client side of the host's WebSocket: pairs replies with requests by id and fans events
 * out to subscribers. A dropped connection fails pending requests instead of hanging.
 */
export class WebSocketTransport implements Transport {
  private nextId = 1;
  private readonly pending = new Map<number, (r: ReplyBody) => void>();
  private readonly listeners = new Set<(event: string, payload: unknown) => void>();
  private readonly opened: Promise<void>;
  private closed = false;

  constructor(private readonly socket: SocketLike) {
    this.opened = new Promise((resolve, reject) => {
      if (socket.readyState === 1) resolve();
      socket.addEventListener('open', () => resolve());
      socket.addEventListener('error', () =>
        reject(new PortraitError('UNAUTHORIZED', 'Could not connect to the studio host (wrong token, or the host is not running).')),
      );
    });
    this.opened.catch(() => {});
    socket.addEventListener('message', (e) => this.onMessage(e.data));
    socket.addEventListener('close', () => {
      this.closed = true;
      for (const resolve of this.pending.values()) {
        resolve({ ok: false, error: { code: 'INTERNAL', message: 'The connection to the studio host was lost.' } });
      }
      this.pending.clear();
      for (const l of this.listeners) l('transport.closed', {});
    });
  }

  ready(): Promise<void> {
    return this.opened;
  }

  private onMessage(data: unknown): void {
    let raw: unknown;
    try {
      raw = JSON.parse(typeof data === 'string' ? data : String(data));
    } catch {
      return;
    }
    const reply = WireReply.safeParse(raw);
    if (reply.success) {
      const resolve = this.pending.get(reply.data.id);
      if (!resolve) return;
      this.pending.delete(reply.data.id);
      resolve(reply.data.ok ? { ok: true, value: reply.data.value } : { ok: false, error: reply.data.error });
      return;
    }
    const ev = WireEvent.safeParse(raw);
    if (ev.success) for (const l of this.listeners) l(ev.data.event, ev.data.payload);
  }

  async request(channel: string, payload: unknown): Promise<ReplyBody> {
    await this.opened;
    if (this.closed) return { ok: false, error: { code: 'INTERNAL', message: 'The connection to the studio host is closed.' } };
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.socket.send(JSON.stringify({ type: 'request', id, channel, payload }));
    });
  }

  subscribe(listener: (event: string, payload: unknown) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  close(): void {
    this.socket.close();
  }
}
