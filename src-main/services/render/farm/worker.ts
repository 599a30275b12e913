/**
 * `portrait worker`: takes chunks off the farm queue one at a time and renders them into their
 * segments. The render runs in a warm thread (chunk-thread.ts) so this event loop keeps renewing
 * the chunk's BullMQ lock; a worker that dies stops renewing it and BullMQ's stalled-job check
 * (run by the live workers) hands the chunk to another one. A cancelled render is seen through
 * its cancel flag, before a chunk starts and every half second while it renders. A render whose
 * submitter died is seen through its heartbeat (abandoned.ts), at the same moments and, for the
 * renders this worker has had chunks of, every 2 s after: its chunks are failed without retry and
 * removed from Redis, and its segment folder is deleted.
 */
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import { PortraitError, isPortraitError } from '../../../../src-shared/ipc/errors.js';
import { chunkAbandoned } from './abandoned.js';
import { ChunkThread } from './chunk-thread.js';
import type { ChunkJob, ChunkResult } from './chunk-task.js';
import { farmFolderRenderId, mapPath, type PathMap } from './chunks.js';
import { aliveKey, bounded, cancelKey, checkReachable, connection, DEFAULT_TIMINGS, encodeFailure, FARM_QUEUE, farmAddress, HEARTBEAT_TTL_MS, loadBullmq, purgeRender, renderKey, type FarmTimings } from './queue.js';

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
/** How often the renders this worker has had chunks of are looked at for a lost heartbeat. */
const WATCH_MS = 2_000;
const ABANDONED = `its submitter stopped (no heartbeat for ${HEARTBEAT_TTL_MS / 1000} s)`;

/** The last name in a path written with either separator. */
function lastName(p: string): string {
  return p.split(/[\\/]/).filter(Boolean).pop() ?? '';
}

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
  // Removes an abandoned render's chunks (any state, this worker's failed one included).
  const queue = new bull.Queue(FARM_QUEUE, { connection: connection(addr) });
  queue.on('error', () => {});
  /** Chunks failed as abandoned: removed from Redis once BullMQ has let go of them ('failed' below). */
  const abandonedJobs = new Set<string>();
  /** Abandoned renders this worker has said so of (one line each). */
  const announced = new Set<string>();
  /** Renders this worker has had chunks of, until they end: one abandoned after its last chunk was rendered is seen here. */
  const watched = new Map<string, { segDir: string }>();
  let current: string | null = null;
  const isAbandoned = async (data: ChunkJob): Promise<boolean> => data.heartbeat === true && chunkAbandoned(data, await (await worker.client).get(aliveKey(data.renderId)));

  /** Deletes an abandoned render's segment folder (as this worker sees it) and removes its chunks from Redis. */
  const dropRender = async (renderId: string, segDir: string): Promise<void> => {
    watched.delete(renderId);
    const local = mapPath(segDir, opts.maps);
    // Only ever the render's own farm folder, whatever a job's data says.
    const ours = farmFolderRenderId(lastName(local)) === renderId;
    const rmError = ours ? await fs.rm(local, { recursive: true, force: true }).then(() => null, (e: unknown) => (e instanceof Error ? e.message : String(e))) : null;
    const { removed, held } = await purgeRender(queue, renderId);
    // A chunk another worker holds is removed by that worker, and the record with the last one; a folder
    // that could not be deleted keeps the record, so the next render into that folder tries again.
    if (!held && ours && !rmError) await (await queue.client).del(renderKey(renderId));
    if (!announced.has(renderId)) {
      announced.add(renderId);
      const folder = !ours ? `left ${local} (not a farm folder of this render)` : rmError ? `could not delete its segment folder ${local} (${rmError})` : `removed its segment folder ${local}`;
      opts.log(`render ${renderId} abandoned (${ABANDONED}): ${folder} and ${removed} chunk${removed === 1 ? '' : 's'} from Redis${held ? ` (${held} held by other workers, who remove them)` : ''}`);
    }
  };

  const worker = new bull.Worker<ChunkJob, ChunkResult>(
    FARM_QUEUE,
    async (job, token) => {
      const data = job.data;
      const redis = await worker.client;
      const label = `chunk ${job.id} (frames ${data.start}..${data.start + data.count - 1})`;
      if (await isAbandoned(data)) {
        abandonedJobs.add(job.id!);
        opts.log(`${label} not rendered: its render was abandoned (${ABANDONED})`);
        throw new bull.UnrecoverableError(encodeFailure('CANCELLED', `The render was abandoned: ${ABANDONED}.`));
      }
      if ((await redis.get(cancelKey(data.renderId))) !== null) throw new bull.UnrecoverableError(encodeFailure('CANCELLED', 'The render was cancelled.'));
      if (data.heartbeat) watched.set(data.renderId, { segDir: data.segDir });
      current = data.renderId;
      const chunkAc = new AbortController();
      const onStop = () => chunkAc.abort();
      opts.signal.addEventListener('abort', onStop, { once: true });
      ac.signal.addEventListener('abort', onStop, { once: true });
      let cancelled = false;
      let abandoned = false;
      const poll = setInterval(() => {
        Promise.all([redis.get(cancelKey(data.renderId)), isAbandoned(data)]).then(([v, gone]) => {
          if (gone) abandoned = true;
          else if (v !== null) cancelled = true;
          if (abandoned || cancelled) chunkAc.abort();
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
        // Abandoned before cancelled: a submitter killed while it withdrew its chunks removes nothing any more.
        if (abandoned || (await isAbandoned(data).catch(() => false))) {
          abandonedJobs.add(job.id!);
          opts.log(`${label} stopped: its render was abandoned (${ABANDONED})`);
          throw new bull.UnrecoverableError(encodeFailure('CANCELLED', `The render was abandoned: ${ABANDONED}.`));
        }
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
        current = null;
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
  worker.on('failed', (job) => {
    if (!job?.id || !abandonedJobs.delete(job.id)) return;
    dropRender(job.data.renderId, job.data.segDir).catch((e: unknown) => opts.log(`render ${job.data.renderId}: its clean-up failed (${e instanceof Error ? e.message : String(e)})`));
  });
  let watching = false;
  const watch = setInterval(() => {
    if (watching) return;
    watching = true;
    const look = (async () => {
      const redis = await worker.client;
      for (const [id, w] of [...watched]) {
        // The chunk in hand sees it itself.
        if (id === current || (await redis.get(aliveKey(id))) !== null) continue;
        // No record: the render ended (its submitter removed everything) or another worker cleaned it up.
        if ((await redis.get(renderKey(id))) === null) watched.delete(id);
        else await dropRender(id, w.segDir);
      }
    })();
    // A Redis call queued while ioredis reconnects may never settle: the next looks must not wait on it.
    bounded(look, 30_000, () => undefined)
      .catch(() => {})
      .finally(() => void (watching = false));
  }, WATCH_MS);
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
  clearInterval(watch);
  await bounded(worker.close(fatal !== null), 10_000, () => undefined).catch(() => {});
  await bounded(queue.close(), 5_000, () => undefined).catch(() => {});
  await bounded(queue.disconnect(), 5_000, () => undefined).catch(() => {});
  await bounded(worker.disconnect(), 5_000, () => undefined).catch(() => {});
  await bounded(running, 5_000, () => undefined).catch(() => {});
  await thread.close();
  if (fatal) throw new PortraitError('BAD_REQUEST', `The render farm at ${addr.display} has been unreachable for ${Math.round(giveUpMs / 1000)} s (${lastError || fatal.message}); the worker stopped.`);
  return { chunks };
}
