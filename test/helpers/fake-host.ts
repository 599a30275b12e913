import type { Transport } from '../../src-shared/ipc/client.js';
import type { ReplyBody } from '../../src-shared/ipc/wire.js';

/** A studio host that answers requests from a function and lets a test emit events (engine tests). */
export class FakeHost implements Transport {
  readonly calls: Array<{ channel: string; payload: unknown }> = [];
  private readonly listeners = new Set<(event: string, payload: unknown) => void>();
  constructor(private readonly answer: (channel: string, payload: unknown) => ReplyBody | Promise<ReplyBody>) {}
  request(channel: string, payload: unknown): Promise<ReplyBody> {
    this.calls.push({ channel, payload });
    return Promise.resolve(this.answer(channel, payload));
  }
  subscribe(l: (event: string, payload: unknown) => void): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  emit(event: string, payload: unknown): void {
    for (const l of [...this.listeners]) l(event, payload);
  }
}

export const ok = (value: unknown): ReplyBody => ({ ok: true, value });
/** Lets pending promise callbacks run. */
export const settle = (): Promise<void> => new Promise((r) => setTimeout(r, 0));
