/**
 * A farm render whose submitter died (kill -9, a crash, a machine gone): the submitter's
 * heartbeat in Redis, and the clean-up of what a dead render left beside its output.
 *
 * While a render is in progress its submitter keeps two keys: the render's record
 * (`portrait:farm:render:<id>`, its segment folder, kept for RENDER_RECORD_SEC) and its heartbeat
 * (`portrait:farm:alive:<id>`, HEARTBEAT_TTL_MS, refreshed every HEARTBEAT_EVERY_MS); it deletes
 * both when it ends. A render whose record exists but whose heartbeat has expired is abandoned:
 * workers drop its chunks and folder (worker.ts), and the next farm render into the same folder
 * removes a folder nobody took care of (removeAbandonedRenders). A folder this farm has no record
 * of (another farm's, an older studio's, or from before a Redis restart) is never touched.
 */
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { farmFolderRenderId } from './chunks.js';
import { aliveKey, HEARTBEAT_EVERY_MS, HEARTBEAT_TTL_MS, purgeRender, RENDER_RECORD_SEC, renderKey } from './queue.js';

type FarmQueue = import('bullmq').Queue;
type RedisClient = Awaited<FarmQueue['client']>;

export interface Heartbeat {
  /** Stops refreshing and deletes the heartbeat and the record: the render has ended (its chunks and folder are gone). */
  stop(): Promise<void>;
}

/** Records the render and starts its heartbeat; resolves once both keys are set. */
export async function startHeartbeat(redis: RedisClient, renderId: string, segDir: string): Promise<Heartbeat> {
  const who = `${hostname()} pid ${process.pid}`;
  await redis.set(renderKey(renderId), segDir, { EX: RENDER_RECORD_SEC });
  await redis.set(aliveKey(renderId), who, { PX: HEARTBEAT_TTL_MS });
  // One refresh at a time: a SET queued while ioredis reconnects settles late, or never.
  let inFlight: Promise<unknown> | null = null;
  const timer = setInterval(() => {
    if (inFlight) return;
    inFlight = redis
      .set(aliveKey(renderId), who, { PX: HEARTBEAT_TTL_MS })
      .catch(() => {})
      .finally(() => void (inFlight = null));
  }, HEARTBEAT_EVERY_MS);
  return {
    async stop() {
      clearInterval(timer);
      // A refresh landing after the delete would bring the heartbeat back for a TTL.
      await inFlight;
      await redis.del(aliveKey(renderId), renderKey(renderId));
    },
  };
}

/** A chunk is abandoned when its render keeps a heartbeat (a chunk of an older studio does not) and the heartbeat is gone. */
export function chunkAbandoned(data: { heartbeat?: boolean }, alive: string | null): boolean {
  return data.heartbeat === true && alive === null;
}

export type FarmFolderVerdict = 'abandoned' | 'alive' | 'unknown' | 'recent';

/**
 * What a `.<name>.farm-<id>` folder is, from what this farm's Redis says of its render: alive
 * (its heartbeat is there), unknown (no record: not this farm's, or too old; left alone), recent
 * (younger than a heartbeat's TTL: left, to be safe), or abandoned (recorded, no heartbeat).
 */
export function farmFolderVerdict(f: { recorded: boolean; alive: boolean; ageMs: number }): FarmFolderVerdict {
  if (f.alive) return 'alive';
  if (!f.recorded) return 'unknown';
  if (f.ageMs < HEARTBEAT_TTL_MS) return 'recent';
  return 'abandoned';
}

/**
 * Removes, directly inside `folder`, the segment folders of this farm's abandoned renders, with
 * whatever chunk jobs of theirs are still in Redis and their record. `keep` is the calling
 * render's own id. Returns the folder names removed.
 */
export async function removeAbandonedRenders(queue: FarmQueue, folder: string, keep: string, now = Date.now()): Promise<string[]> {
  const redis = await queue.client;
  const entries = await fs.readdir(folder, { withFileTypes: true }).catch(() => []);
  const removed: string[] = [];
  for (const e of entries) {
    const id = e.isDirectory() ? farmFolderRenderId(e.name) : null;
    if (!id || id === keep) continue;
    const path = join(folder, e.name);
    const st = await fs.stat(path).catch(() => null);
    if (!st) continue;
    const recorded = (await redis.get(renderKey(id))) !== null;
    const alive = (await redis.get(aliveKey(id))) !== null;
    if (farmFolderVerdict({ recorded, alive, ageMs: now - st.mtimeMs }) !== 'abandoned') continue;
    await purgeRender(queue, id);
    await fs.rm(path, { recursive: true, force: true });
    await redis.del(renderKey(id));
    removed.push(e.name);
  }
  return removed;
}
