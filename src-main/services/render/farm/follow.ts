/**
 * Follows a farm render's chunks until each has completed (or one failed for good, the render was
 * cancelled, or Redis went away): progress events as they come, plus a periodic look at every
 * chunk's state so that a missed event costs seconds, not a hang.
 */
import { PortraitError, isPortraitError, type ErrorCode, ERROR_CODES } from '../../../../src-shared/ipc/errors.js';
import type { ChunkJob, ChunkResult } from './chunk-task.js';
import { decodeFailure, HEARTBEAT_TTL_MS } from './queue.js';

export interface FarmContext {
  signal: AbortSignal;
  progress(done: number, total: number, stage: string): void;
}

/** What following needs of the queue: a fake in tests, BullMQ's Queue in use. */
export type ChunkQueue = Pick<import('bullmq').Queue<ChunkJob, ChunkResult>, 'getJobState' | 'getJob' | 'getWorkersCount'>;
type Listener = (args: { jobId: string; data?: unknown }) => void;
/** What following needs of the queue's events: BullMQ's QueueEvents in use. */
export interface ChunkEvents {
  on(event: 'progress' | 'completed' | 'failed', fn: Listener): unknown;
  off(event: 'progress' | 'completed' | 'failed', fn: Listener): unknown;
}

export const RECONCILE_MS = 2_000;

/** Waits for every chunk to complete; its results in chunk order. */
export function followChunks(queue: ChunkQueue, events: ChunkEvents, ids: string[], jobs: ChunkJob[], total: number, ctx: FarmContext, redisError: () => Error | null, reconcileMs = RECONCILE_MS): Promise<ChunkResult[]> {
  const index = new Map(ids.map((id, i) => [id, i]));
  const done = jobs.map(() => 0);
  const results: (ChunkResult | null)[] = jobs.map(() => null);
  let workers = -1;
  const report = () => {
    const sum = done.reduce((a, b) => a + b, 0);
    const finished = results.filter(Boolean).length;
    ctx.progress(sum, total, `Rendering on the farm: ${finished}/${jobs.length} chunks${workers >= 0 ? `, ${workers} worker${workers === 1 ? '' : 's'} connected` : ''}`);
  };
  return new Promise<ChunkResult[]>((resolve, reject) => {
    let settled = false;
    const finish = (fn: () => void) => {
      if (settled) return;
      settled = true;
      clearInterval(timer);
      ctx.signal.removeEventListener('abort', onAbort);
      events.off('progress', onProgress);
      events.off('completed', onChange);
      events.off('failed', onChange);
      fn();
    };
    const check = async (only?: number) => {
      for (let i = 0; i < ids.length && !settled; i++) {
        if (results[i] || (only !== undefined && only !== i)) continue;
        const range = `frames ${jobs[i]!.start}..${jobs[i]!.start + jobs[i]!.count - 1}`;
        // The state first, then the job: a job read first may complete before its state is read,
        // and that older copy has no return value. Finishing sets both in one step, so a job read
        // after its state said completed carries its result.
        const state = await queue.getJobState(ids[i]!);
        const job = state === 'unknown' ? undefined : await queue.getJob(ids[i]!);
        if (!job) return finish(() => reject(new PortraitError('INTERNAL', `Chunk ${i} (${range}) disappeared from the farm's queue (was the queue emptied, or did this process stop refreshing its heartbeat for ${HEARTBEAT_TTL_MS / 1000} s, so that the workers took the render for abandoned?); the render stopped.`)));
        if (state === 'completed') {
          const r = job.returnvalue as ChunkResult | null;
          if (typeof r?.frames !== 'number') return finish(() => reject(new PortraitError('INTERNAL', `Chunk ${i} (${range}) completed without a result the farm understands (${JSON.stringify(r)}); is a worker of another version attached? The render stopped.`)));
          results[i] = r;
          done[i] = r.frames;
        } else if (state === 'failed') {
          const f = decodeFailure(job.failedReason);
          const code: ErrorCode = (ERROR_CODES as readonly string[]).includes(f.code) ? (f.code as ErrorCode) : 'INTERNAL';
          return finish(() => reject(new PortraitError(code, `Chunk ${i} (${range}) failed after ${job.attemptsMade} attempt${job.attemptsMade === 1 ? '' : 's'}: ${f.message}`)));
        } else {
          const p = job.progress as { done?: unknown };
          if (typeof p?.done === 'number') done[i] = p.done;
        }
      }
      report();
      if (results.every(Boolean)) finish(() => resolve(results as ChunkResult[]));
    };
    // One look at a time: events and the timer may fire together.
    let running: Promise<void> = Promise.resolve();
    const look = (only?: number) => {
      running = running.then(() => check(only)).catch((e: unknown) => finish(() => reject(farmLost(e, redisError()))));
    };
    const onProgress: Listener = ({ jobId, data }) => {
      const i = index.get(jobId);
      const d = (data as { done?: unknown } | null)?.done;
      if (i === undefined || results[i] || typeof d !== 'number') return;
      done[i] = d;
      report();
    };
    const onChange: Listener = ({ jobId }) => {
      const i = index.get(jobId);
      if (i !== undefined) look(i);
    };
    const onAbort = () => finish(() => reject(new PortraitError('CANCELLED', 'The farm render was cancelled; its queued chunks and segments were removed.')));
    events.on('progress', onProgress);
    events.on('completed', onChange);
    events.on('failed', onChange);
    const timer = setInterval(() => {
      queue.getWorkersCount().then((c) => void (workers = c), () => {});
      look();
    }, reconcileMs);
    if (ctx.signal.aborted) onAbort();
    else ctx.signal.addEventListener('abort', onAbort, { once: true });
    look();
  });
}

function farmLost(e: unknown, redisError: Error | null): PortraitError {
  if (isPortraitError(e)) return e;
  const why = redisError?.message ?? (e instanceof Error ? e.message : String(e));
  return new PortraitError('INTERNAL', `Lost the render farm while waiting for chunks (${why}); the render stopped.`);
}
