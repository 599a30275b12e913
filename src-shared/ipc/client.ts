import { PortraitError, type PortraitErrorShape } from './errors.js';
import {
  contract,
  events,
  type ChannelName,
  type EventName,
  type EventOf,
  type JobChannelName,
  type ReplyOf,
  type RequestChannelName,
  type RequestOf,
  type ResultOf,
} from './contract.js';
import type { JobProgress } from '../jobs/schema.js';
import type { ReplyBody } from './wire.js';

/** What a transport must provide: one request/reply primitive and an event stream. */
export interface Transport {
  request(channel: string, payload: unknown): Promise<ReplyBody>;
  subscribe(listener: (event: string, payload: unknown) => void): () => void;
}

export interface JobHandle<T> {
  jobId: string;
  /** Resolves with the job's result; rejects with a PortraitError (code CANCELLED on cancel). */
  result: Promise<T>;
  cancel(): Promise<void>;
}

function fromShape(e: PortraitErrorShape): PortraitError {
  return new PortraitError(e.code, e.message, e.details);
}

/**
 * The typed client. Replies are validated here too: a host of another version that
 * answers with a different shape is reported, not silently trusted.
 */
export class PortraitClient {
  constructor(private readonly transport: Transport) {}

  async call<K extends RequestChannelName>(channel: K, payload: RequestOf<K>): Promise<ReplyOf<K>> {
    const body = await this.transport.request(channel, payload);
    if (!body.ok) throw fromShape(body.error);
    const def = contract[channel];
    const parsed = (def as { reply: { safeParse(v: unknown): { success: boolean; data?: unknown } } }).reply.safeParse(body.value);
    if (!parsed.success) throw new PortraitError('INTERNAL', `The studio host sent an unexpected reply for ${channel}`);
    return parsed.data as ReplyOf<K>;
  }

  on<E extends EventName>(event: E, listener: (payload: EventOf<E>) => void): () => void {
    return this.transport.subscribe((name, payload) => {
      if (name !== event) return;
      const parsed = events[event].safeParse(payload);
      if (parsed.success) listener(parsed.data as EventOf<E>);
    });
  }

  /** Starts a job and follows it to its end. */
  async startJob<K extends JobChannelName>(
    channel: K,
    payload: RequestOf<K>,
    onProgress?: (p: JobProgress) => void,
  ): Promise<JobHandle<ResultOf<K>>> {
    // Subscribe before starting so no event can slip between start and subscribe.
    const early: Array<{ event: string; payload: unknown }> = [];
    let jobId: string | null = null;
    let settle: ((ok: boolean, v: unknown) => void) | null = null;
    const unsubscribe = this.transport.subscribe((event, p) => {
      if (jobId === null) {
        early.push({ event, payload: p });
        return;
      }
      handle(event, p);
    });
    const handle = (event: string, p: unknown) => {
      if (event === 'job.progress') {
        const parsed = events['job.progress'].safeParse(p);
        if (parsed.success && parsed.data.jobId === jobId) onProgress?.(parsed.data);
      } else if (event === 'job.finished') {
        const parsed = events['job.finished'].safeParse(p);
        if (!parsed.success || parsed.data.jobId !== jobId) return;
        unsubscribe();
        const f = parsed.data;
        if (f.state === 'succeeded') {
          const r = (contract[channel] as { result: { safeParse(v: unknown): { success: boolean; data?: unknown } } }).result.safeParse(f.result);
          settle?.(r.success, r.success ? r.data : new PortraitError('INTERNAL', `Unexpected result for ${channel}`));
        } else if (f.state === 'cancelled') {
          settle?.(false, new PortraitError('CANCELLED', 'The job was cancelled'));
        } else {
          settle?.(false, f.error ? fromShape(f.error) : new PortraitError('INTERNAL', 'The job failed'));
        }
      }
    };
    const result = new Promise<ResultOf<K>>((resolve, reject) => {
      settle = (ok, v) => (ok ? resolve(v as ResultOf<K>) : reject(v));
    });
    const body = await this.transport.request(channel, payload);
    if (!body.ok) {
      unsubscribe();
      throw fromShape(body.error);
    }
    jobId = (body.value as { jobId: string }).jobId;
    for (const e of early.splice(0)) handle(e.event, e.payload);
    return {
      jobId,
      result,
      cancel: async () => {
        await this.call('jobs.cancel', { jobId: jobId as string });
      },
    };
  }
}

export type { ChannelName };
