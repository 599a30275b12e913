/**
 * The farm's BullMQ side, shared by the submitter and the workers: the queue's name, the Redis
 * connection (bounded retries: an unreachable server is an error in seconds, never a hang), the
 * lock and stall timings, and the per-render cancel flag. bullmq is imported lazily so nothing
 * outside a farm render loads it.
 */
import { PortraitError } from '../../../../src-shared/ipc/errors.js';
import { parseFarmUrl, type FarmAddress } from '../../../../src-shared/output/farm-url.js';

export const FARM_QUEUE = 'portrait-render';

export interface FarmTimings {
  /** How long a chunk's lock lasts without renewal (renewed at half this while the worker lives). */
  lockMs: number;
  /** How often live workers look for chunks whose lock expired (their worker died) and queue them again. */
  stalledMs: number;
  /** How many times a chunk may be recovered from a dead worker before it fails. */
  maxStalledCount: number;
}

/**
 * A killed worker's chunk is back in the queue once its lock has expired and a stall check has
 * seen it unlocked twice (BullMQ marks active jobs at one check and moves the unlocked ones at
 * the next): within lockMs + 2 x stalledMs, 20 s by default (measured 6.2 s with a 2 s lock and
 * 1 s checks on a loaded 2-core machine). Shorter locks cost a Redis round trip per renewal and
 * risk a busy machine losing its lock while alive (the chunk is then rendered twice, harmlessly:
 * the same segment is renamed into place twice).
 */
export const DEFAULT_TIMINGS: FarmTimings = { lockMs: 10_000, stalledMs: 5_000, maxStalledCount: 3 };
/** Attempts per chunk when the render itself fails (a worker's error, not a dead worker). */
export const CHUNK_ATTEMPTS = 3;
/** How long finished chunks stay in Redis if the submitter could not remove them (it normally does). */
export const KEEP_FINISHED_SEC = 24 * 3600;

export type Bullmq = typeof import('bullmq');

export function loadBullmq(): Promise<Bullmq> {
  return import('bullmq');
}

export function farmAddress(url: string): FarmAddress {
  try {
    return parseFarmUrl(url);
  } catch (e) {
    throw new PortraitError('BAD_REQUEST', (e as Error).message, { field: 'farm' });
  }
}

/**
 * ioredis options for BullMQ. Reconnects are bounded (about 30 s of trying) so a server that
 * goes away ends a render or a worker with an error instead of waiting forever.
 */
export function connection(addr: FarmAddress, opts: { retries?: number; connectTimeoutMs?: number } = {}) {
  const retries = opts.retries ?? 20;
  return {
    host: addr.host,
    port: addr.port,
    db: addr.db,
    ...(addr.username ? { username: addr.username } : {}),
    ...(addr.password ? { password: addr.password } : {}),
    ...(addr.tls ? { tls: {} } : {}),
    connectTimeout: opts.connectTimeoutMs ?? 5_000,
    maxRetriesPerRequest: null,
    retryStrategy: (times: number) => (times > retries ? null : Math.min(250 * times, 2_000)),
  };
}

/** Connects once, without retrying: a wrong address or a stopped server is a clear error at once. */
export async function checkReachable(bull: Bullmq, addr: FarmAddress): Promise<void> {
  const q = new bull.Queue(FARM_QUEUE, { connection: connection(addr, { retries: 0 }) });
  // The queue reports connection errors as events too; they are handled by the await below.
  q.on('error', () => {});
  try {
    const client = await q.client;
    await client.get(cancelKey('reachability-check'));
  } catch (e) {
    const why = (e as Error).message || String(e);
    throw new PortraitError('BAD_REQUEST', `The render farm at ${addr.display} cannot be reached (${why}). Start Redis there (redis-server) or check the address.`, { field: 'farm' });
  } finally {
    await q.close().catch(() => {});
  }
}

/**
 * The submitter's heartbeat: while a farm render is in progress its submitting process sets
 * `portrait:farm:alive:<renderId>` with a TTL of HEARTBEAT_TTL_MS, refreshed every
 * HEARTBEAT_EVERY_MS. A submitter killed (kill -9, a crash, a machine gone) stops refreshing it
 * and the workers take its chunks for abandoned once it has expired: within the TTL of the last
 * refresh. The TTL is ten refreshes long, so only an event loop (or a Redis) that stalls for
 * 18 s loses it; the submitter's loop only waits on Redis and ffmpeg, and a busy 2-core machine
 * delays a timer by a second at worst. A longer TTL only delays the clean-up of a dead render.
 */
export const HEARTBEAT_TTL_MS = 20_000;
export const HEARTBEAT_EVERY_MS = 2_000;
/**
 * How long the record of a render (its segment folder, as the submitter names it) stays in
 * Redis if nobody removes it: it is what lets a later render tell a dead render's folder of this
 * farm from a folder it knows nothing of (another farm's, an older studio's), which it leaves.
 */
export const RENDER_RECORD_SEC = 30 * 24 * 3600;

export function aliveKey(renderId: string): string {
  return `portrait:farm:alive:${renderId}`;
}

export function renderKey(renderId: string): string {
  return `portrait:farm:render:${renderId}`;
}

/**
 * The ids of a render's chunk jobs among Redis keys (a SCAN of `<queue prefix><renderId>-*`
 * also meets each job's `:lock`, `:logs`... keys, which are not jobs).
 */
export function chunkJobIdsIn(keys: readonly string[], queuePrefix: string, renderId: string): string[] {
  const ids = new Set<string>();
  for (const k of keys) {
    if (!k.startsWith(queuePrefix)) continue;
    const id = k.slice(queuePrefix.length);
    if (/^[0-9a-f]+-\d{6}$/.test(id) && id.slice(0, id.lastIndexOf('-')) === renderId) ids.add(id);
  }
  return [...ids].sort();
}

/**
 * Removes every chunk job of a render from Redis, in any state, found by their ids (a SCAN:
 * neither the submitter's count nor the job data is needed). A chunk a worker holds (locked)
 * cannot be removed: its count comes back as `held`, and its worker removes it when it lets go.
 */
export async function purgeRender(queue: import('bullmq').Queue, renderId: string): Promise<{ removed: number; held: number }> {
  if (!/^[0-9a-f]+$/.test(renderId)) throw new Error(`Not a render id: ${renderId}`);
  const redis = await queue.client;
  const prefix = queue.toKey('');
  const keys: string[] = [];
  let cursor = '0';
  do {
    const [next, batch] = await redis.scan(cursor, { MATCH: `${prefix}${renderId}-*`, COUNT: 1000 });
    keys.push(...batch);
    cursor = next;
  } while (cursor !== '0');
  let removed = 0;
  let held = 0;
  for (const id of chunkJobIdsIn(keys, prefix, renderId)) {
    if ((await queue.remove(id)) === 1) removed++;
    else held++;
  }
  return { removed, held };
}

/** The flag a cancelled render sets; workers look at it before and while rendering its chunks. */
export function cancelKey(renderId: string): string {
  return `portrait:farm:cancelled:${renderId}`;
}

export function chunkJobId(renderId: string, index: number): string {
  return `${renderId}-${String(index).padStart(6, '0')}`;
}

/** A worker's error travels as "CODE: message" in the job's failedReason. */
export function encodeFailure(code: string, message: string): string {
  return `${code}: ${message}`;
}

export function decodeFailure(reason: string | undefined): { code: string; message: string } {
  const m = /^([A-Z_]+): ([\s\S]*)$/.exec(reason ?? '');
  return m ? { code: m[1]!, message: m[2]! } : { code: 'INTERNAL', message: reason || 'unknown error' };
}

/** Settles with `p`, or with `fallback` after `ms` (a Redis call queued while ioredis reconnects never settles on its own). */
export function bounded<T>(p: Promise<T>, ms: number, fallback: () => T): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const t = setTimeout(() => {
      try {
        resolve(fallback());
      } catch (e) {
        reject(e);
      }
    }, ms);
    p.then(
      (v) => {
        clearTimeout(t);
        resolve(v);
      },
      (e: unknown) => {
        clearTimeout(t);
        reject(e);
      },
    );
  });
}
