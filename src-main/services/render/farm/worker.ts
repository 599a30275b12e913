/**
 * `portrait worker`: takes chunks off the farm queue one at a time and renders them into their
 * segments. The render runs in a warm thread (chunk-thread.ts) so this event loop keeps renewing
 * the chunk's BullMQ lock; a worker that dies stops renewing it and BullMQ's stalled-job check
 * (run by the live workers) hands the chunk to another one. A cancelled render is seen through
 * its cancel flag, before a chunk starts and every half second while it renders.
 */
import { hostname } from 'node:os';
import { PortraitError, isPortraitError } from '../../../../src-shared/ipc/errors.js';
import { ChunkThread } from './chunk-thread.js';
import type { ChunkJob, ChunkResult } from './chunk-task.js';
import type { PathMap } from './chunks.js';
import { cancelKey, checkReachable, connection, DEFAULT_TIMINGS, encodeFailure, FARM_QUEUE, farmAddress, loadBullmq, type FarmTimings } from './queue.js';

export interface FarmWorkerOptions {
  url: string;
  maps: PathMap[];
  timings?: Partial<FarmTimings>;
  /** Shown in logs and BullMQ's worker list; default host-pid. */
  name?: string;
  log: (line: string) => void;
  /** Aborting it stops the worker: the chunk in progress goes back to the queue for another worker. */
  signal: AbortSignal;
}

const CANCEL_POLL_MS = 500;
const PROGRESS_EVERY_MS = 500;

export async function runFarmWorker(opts: FarmWorkerOptions): Promise<{ chunks: number }> {
  const addr = farmAddress(opts.url);
  const bull = await loadBullmq();
  await checkReachable(bull, addr);
  const t = { ...DEFAULT_TIMINGS, ...opts.timings };
  const name = opts.name ?? `${hostname()}-${process.pid}`;
  const thread = new ChunkThread();
  let chunks = 0;
  let fatal: Error | null = null;

  const worker = new bull.Worker<ChunkJob, ChunkResult>(
    FARM_QUEUE,
    async (job, token) => {
      const data = job.data;
      const redis = await worker.client;
      const label = `chunk ${job.id} (frames ${data.start}..${data.start + data.count - 1})`;
      if ((await redis.get(cancelKey(data.renderId))) !== null) throw new bull.UnrecoverableError(encodeFailure('CANCELLED', 'The render was cancelled.'));
      const ac = new AbortController();
      const onStop = () => ac.abort();
      opts.signal.addEventListener('abort', onStop, { once: true });
      let cancelled = false;
      const poll = setInterval(() => {
        redis.get(cancelKey(data.renderId)).then((v) => {
          if (v !== null) {
            cancelled = true;
            ac.abort();
          }
        }, () => {});
      }, CANCEL_POLL_MS);
      const t0 = Date.now();
      let lastReport = 0;
      opts.log(`${label} started (attempt ${job.attemptsStarted}, ${data.dir})`);
      try {
        const r = await thread.run({ job: data, maps: opts.maps, worker: name }, ac.signal, (done, total) => {
          const now = Date.now();
          if (now - lastReport < PROGRESS_EVERY_MS) return;
          lastReport = now;
          void job.updateProgress({ done, total }).catch(() => {});
        });
        await job.updateProgress({ done: r.frames, total: data.count }).catch(() => {});
        chunks++;
        opts.log(`${label} done: ${r.frames} frames in ${((Date.now() - t0) / 1000).toFixed(1)} s`);
        return r;
      } catch (e) {
        if (cancelled || (await redis.get(cancelKey(data.renderId)).catch((): string | null => null)) !== null) {
          opts.log(`${label} cancelled`);
          throw new bull.UnrecoverableError(encodeFailure('CANCELLED', 'The render was cancelled.'));
        }
        if (opts.signal.aborted) {
          // This worker is stopping: the chunk goes straight back to the queue for another one.
          opts.log(`${label} handed back (worker stopping)`);
          await job.moveToWait(token);
          throw new bull.WaitingError();
        }
        const code = isPortraitError(e) ? e.code : 'INTERNAL';
        const message = e instanceof Error ? e.message : String(e);
        opts.log(`${label} failed: ${message}`);
        throw new Error(encodeFailure(code, `${message} (on worker ${name})`));
      } finally {
        clearInterval(poll);
        opts.signal.removeEventListener('abort', onStop);
      }
    },
    {
      connection: connection(addr),
      name,
      concurrency: 1,
      lockDuration: t.lockMs,
      stalledInterval: t.stalledMs,
      maxStalledCount: t.maxStalledCount,
      autorun: false,
    },
  );
  worker.on('error', (e) => {
    // ioredis gave up reconnecting: the farm is gone; stop rather than spin.
    if (/Connection is closed|ECONNREFUSED|ENOTFOUND|ETIMEDOUT/i.test(e.message)) fatal ??= e;
    opts.log(`worker error: ${e.message}`);
  });
  const stopped = new Promise<void>((resolve) => {
    if (opts.signal.aborted) resolve();
    opts.signal.addEventListener('abort', () => resolve(), { once: true });
    const timer = setInterval(() => {
      if (fatal) {
        clearInterval(timer);
        resolve();
      }
    }, 1_000);
    opts.signal.addEventListener('abort', () => clearInterval(timer), { once: true });
  });
  const running = worker.run();
  await worker.waitUntilReady();
  opts.log(`portrait worker ${name} ready: queue ${FARM_QUEUE} on ${addr.display} (lock ${t.lockMs} ms, stall check every ${t.stalledMs} ms)`);
  await stopped;
  // A chunk in progress has been handed back by its processor (the abort above); close without waiting for more.
  await worker.close();
  await running.catch(() => {});
  await thread.close();
  if (fatal && !opts.signal.aborted) throw new PortraitError('BAD_REQUEST', `The render farm at ${addr.display} went away (${(fatal as Error).message}); the worker stopped.`);
  return { chunks };
}
