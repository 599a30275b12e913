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
import { bounded, cancelKey, checkReachable, connection, DEFAULT_TIMINGS, encodeFailure, FARM_QUEUE, farmAddress, loadBullmq, type FarmTimings } from './queue.js';

export interface FarmWorkerOptions {
  url: string;
  maps: PathMap[];
  timings?: Partial<FarmTimings>;
  /** Shown in logs and BullMQ's worker list; default host-pid. */
  name?: string;
  log: (line: string) => void;
  /** Aborting it stops the worker: the chunk in progress goes back to the queue for another worker. */
  signal: AbortSignal;
  /** How long Redis may stay unreachable before the worker gives up and exits (default 60 s). */
  giveUpMs?: number;
}

const CANCEL_POLL_MS = 500;
const LIVENESS_MS = 2_000;
const PROGRESS_EVERY_MS = 500;

export async function runFarmWorker(opts: FarmWorkerOptions): Promise<{ chunks: number }> {
  const addr = farmAddress(opts.url);
  const bull = await loadBullmq();
  await checkReachable(bull, addr);
  const t = { ...DEFAULT_TIMINGS, ...opts.timings };
  const name = opts.name ?? `${hostname()}-${process.pid}`;
  const thread = new ChunkThread();
  let chunks = 0;
  let fatal = null as Error | null;
  // Aborted when the worker gives up on Redis: the chunk in progress stops too.
  const ac = new AbortController();

  const worker = new bull.Worker<ChunkJob, ChunkResult>(
    FARM_QUEUE,
    async (job, token) => {
      const data = job.data;
      const redis = await worker.client;
      const label = `chunk ${job.id} (frames ${data.start}..${data.start + data.count - 1})`;
      if ((await redis.get(cancelKey(data.renderId))) !== null) throw new bull.UnrecoverableError(encodeFailure('CANCELLED', 'The render was cancelled.'));
      const chunkAc = new AbortController();
      const onStop = () => chunkAc.abort();
      opts.signal.addEventListener('abort', onStop, { once: true });
      ac.signal.addEventListener('abort', onStop, { once: true });
      let cancelled = false;
      const poll = setInterval(() => {
        redis.get(cancelKey(data.renderId)).then((v) => {
          if (v !== null) {
            cancelled = true;
            chunkAc.abort();
          }
        }, () => {});
      }, CANCEL_POLL_MS);
      const t0 = Date.now();
      let lastReport = 0;
      opts.log(`${label} started (attempt ${job.attemptsStarted}, ${data.dir})`);
      try {
        const r = await thread.run({ job: data, maps: opts.maps, worker: name }, chunkAc.signal, (done, total) => {
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
        if (opts.signal.aborted || ac.signal.aborted) {
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
        ac.signal.removeEventListener('abort', onStop);
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
  let lastError = '';
  worker.on('error', (e) => {
    // Reconnects are ioredis's business; the liveness check below decides when to give up.
    if (e.message !== lastError) opts.log(`worker error: ${e.message}`);
    lastError = e.message;
  });
  const giveUpMs = opts.giveUpMs ?? 60_000;
  const stopped = new Promise<void>((resolve) => {
    let lastOk = Date.now();
    const timer = setInterval(() => {
      void worker.client
        .then((c) =>
          bounded(c.get(cancelKey('liveness')), LIVENESS_MS, () => {
            throw new Error('no answer');
          }),
        )
        .then(
          () => void (lastOk = Date.now()),
          (e: unknown) => {
            if (Date.now() - lastOk < giveUpMs) return;
            fatal = e instanceof Error ? e : new Error(String(e));
            clearInterval(timer);
            resolve();
          },
        );
    }, LIVENESS_MS);
    const onStop = () => {
      clearInterval(timer);
      resolve();
    };
    if (opts.signal.aborted) onStop();
    else opts.signal.addEventListener('abort', onStop, { once: true });
  });
  const running = worker.run();
  await worker.waitUntilReady();
  opts.log(`portrait worker ${name} ready: queue ${FARM_QUEUE} on ${addr.display} (lock ${t.lockMs} ms, stall check every ${t.stalledMs} ms)`);
  await stopped;
  // A chunk in progress has been handed back by its processor (the abort above). Closing talks
  // to Redis: with Redis gone it would wait for ever, so it is bounded, then the sockets are dropped.
  if (fatal) ac.abort();
  await bounded(worker.close(fatal !== null), 10_000, () => undefined).catch(() => {});
  await bounded(worker.disconnect(), 5_000, () => undefined).catch(() => {});
  await bounded(running, 5_000, () => undefined).catch(() => {});
  await thread.close();
  if (fatal) throw new PortraitError('BAD_REQUEST', `The render farm at ${addr.display} has been unreachable for ${Math.round(giveUpMs / 1000)} s (${lastError || fatal.message}); the worker stopped.`);
  return { chunks };
}
