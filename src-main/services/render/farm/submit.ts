/**
 * The submitting side of a farm render (a studio job or `portrait render --farm`): checks the
 * request as a one-machine render would, queues one BullMQ job per chunk, follows them (follow.ts),
 * joins the segments, checks the result and renames it into place. A cancel or a chunk
 * that fails for good flags the render cancelled (workers stop at their next look), removes its
 * chunks from Redis and deletes the segments; nothing of it is left but the cancel flag, which
 * expires. While it runs, its heartbeat (abandoned.ts) tells the workers it is alive: killed, its
 * chunks and segments are removed by them once the heartbeat has expired.
 */
import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { dirname, join } from 'node:path';
import { PortraitError } from '../../../../src-shared/ipc/errors.js';
import type { RenderRequest, RenderResult } from '../../../../src-shared/ipc/contract.js';
import { codecSpec } from '../../../../src-shared/output/codecs.js';
import { removeLeftovers } from '../../../fs/leftovers.js';
import { makeDir } from '../../../fs/make-dir.js';
import { checkOutputTarget } from '../output-target.js';
import { planRender, partialOutput, publishRender } from '../render-plan.js';
import { chooseAudio } from '../render-audio.js';
import type { ChunkJob, ChunkResult } from './chunk-task.js';
import { DEFAULT_CHUNK_FRAMES, farmFolder, segmentName, splitRange } from './chunks.js';
import { joinSegments } from './join.js';
import { removeAbandonedRenders, startHeartbeat, type Heartbeat } from './abandoned.js';
import { bounded, cancelKey, checkReachable, CHUNK_ATTEMPTS, chunkJobId, connection, DEFAULT_TIMINGS, FARM_QUEUE, farmAddress, KEEP_FINISHED_SEC, loadBullmq } from './queue.js';
import { followChunks, type FarmContext } from './follow.js';

export type { FarmContext } from './follow.js';

export interface FarmSettings {
  url: string;
  chunkFrames?: number;
}

type FarmQueue = import('bullmq').Queue<ChunkJob, ChunkResult>;
/** How long a cancel waits for workers to let go of their chunks before it leaves them to the flag. */
const CANCEL_WAIT_MS = 2 * (DEFAULT_TIMINGS.lockMs + DEFAULT_TIMINGS.stalledMs);
const CANCEL_FLAG_SEC = 3600;

/** Refuses, before a job starts, what a farm cannot render. */
export function farmCodecProblem(codec: RenderRequest['codec']): string | null {
  const spec = codecSpec(codec);
  return spec.farmJoin === null ? `${spec.label} segments cannot be joined without re-encoding, so the render farm does not render it; render it on one machine or choose another codec.` : null;
}

export async function runFarmRender(req: RenderRequest, farm: FarmSettings, ctx: FarmContext): Promise<RenderResult> {
  const t0 = Date.now();
  const addr = farmAddress(farm.url);
  const codecProblem = farmCodecProblem(req.codec);
  if (codecProblem) throw new PortraitError('BAD_REQUEST', codecProblem, { field: 'codec' });
  ctx.progress(0, 0, `Connecting to the render farm ${addr.display}`);
  const bull = await loadBullmq();
  await checkReachable(bull, addr);

  const { project, latest, perf, start, end, count } = await planRender(req);
  const audio = chooseAudio(req, project, start, count, perf.fps);
  const chunks = splitRange(start, end, farm.chunkFrames ?? DEFAULT_CHUNK_FRAMES);

  const png = codecSpec(req.codec).kind === 'frames';
  const { replaces } = await checkOutputTarget(req);
  await removeLeftovers(dirname(req.out));
  // The same partial name as a one-machine render: a submitter killed mid-join leaves what removeLeftovers knows.
  const partial = partialOutput(req);
  await makeDir(dirname(req.out));
  const renderId = randomBytes(6).toString('hex');
  const segDir = farmFolder(req.out, renderId);

  const jobs: ChunkJob[] = chunks.map((c, i) => ({
    renderId,
    index: c.index,
    start: c.start,
    count: c.count,
    offset: c.offset,
    last: i === chunks.length - 1,
    dir: req.dir,
    segDir,
    segment: segmentName(c.index, req.codec, req.out),
    checkpoint: latest.file,
    edits: project.edits,
    codec: req.codec,
    crf: req.crf,
    layout: req.layout,
    colorMatch: req.colorMatch,
    fillMissingFaces: req.fillMissingFaces,
    heartbeat: true,
  }));
  const ids = jobs.map((j) => chunkJobId(renderId, j.index));
  const conn = connection(addr);
  const queue = new bull.Queue<ChunkJob, ChunkResult>(FARM_QUEUE, { connection: conn });
  const events = new bull.QueueEvents(FARM_QUEUE, { connection: conn });
  let redisError: Error | null = null;
  queue.on('error', (e) => void (redisError = e));
  events.on('error', (e) => void (redisError = e));
  let ok = false;
  let heartbeat: Heartbeat | null = null;
  try {
    await events.waitUntilReady();
    // The heartbeat is up before the folder and the chunks exist: a worker never meets one of them without it.
    heartbeat = await startHeartbeat(await queue.client, renderId, segDir);
    // What a render killed before this one left in the same folder (housekeeping: it never fails this render).
    await bounded(removeAbandonedRenders(queue, dirname(req.out), renderId), 30_000, () => []).catch(() => []);
    await fs.mkdir(segDir);
    await queue.addBulk(
      jobs.map((data, i) => ({
        name: 'chunk',
        data,
        opts: {
          jobId: ids[i]!,
          attempts: CHUNK_ATTEMPTS,
          backoff: { type: 'fixed', delay: 1_000 },
          removeOnComplete: { age: KEEP_FINISHED_SEC },
          removeOnFail: { age: KEEP_FINISHED_SEC },
        },
      })),
    );
    const results = await followChunks(queue, events, ids, jobs, count, ctx, () => redisError);

    ctx.progress(count, count, 'Joining the segments');
    if (png) await makeDir(partial);
    const segments = results.map((r, i) => ({ name: jobs[i]!.segment, frames: r.frames, offset: jobs[i]!.offset }));
    const frames = results.reduce((s, r) => s + r.frames, 0);
    try {
      await joinSegments({ codec: req.codec, segDir, segments, out: partial, audio: audio.track, signal: ctx.signal });
      ctx.progress(count, count, 'Checking the file');
      await publishRender(partial, req, frames, replaces);
    } catch (e) {
      await fs.rm(partial, { recursive: true, force: true }).catch(() => {});
      throw e;
    }
    ok = true;
    const first = results[0]!;
    return { file: req.out, frames, fps: perf.fps, width: first.width, height: first.height, audio: audio.used, seconds: (Date.now() - t0) / 1000, checkpointStep: first.checkpointStep };
  } finally {
    // Each step talks to Redis, which may be the thing that failed: bounded, so the job always ends.
    const tidy: Promise<unknown> = ok ? Promise.all(ids.map((id) => queue.remove(id).catch(() => 0))) : withdraw(queue, ids, renderId);
    await bounded(tidy, CANCEL_WAIT_MS + 5_000, () => undefined).catch(() => {});
    await fs.rm(segDir, { recursive: true, force: true }).catch(() => {});
    // Last: its chunks and folder are gone, so no worker can take the render for abandoned.
    if (heartbeat) await bounded(heartbeat.stop(), 5_000, () => undefined).catch(() => {});
    await bounded(events.close(), 5_000, () => undefined).catch(() => {});
    await bounded(queue.close(), 5_000, () => undefined).catch(() => {});
    await bounded(Promise.all([events.disconnect(), queue.disconnect()]), 5_000, () => undefined).catch(() => {});
  }
}

/**
 * Takes a render's chunks back: the cancel flag stops workers that hold one (they fail it
 * without retry), the others are removed at once; held ones are removed once their worker lets
 * go (or, if it died, once they are queued again and refused by the next worker).
 */
async function withdraw(queue: FarmQueue, ids: string[], renderId: string): Promise<void> {
  const redis = await queue.client;
  await redis.set(cancelKey(renderId), '1', { EX: CANCEL_FLAG_SEC });
  let left = [...ids];
  const deadline = Date.now() + CANCEL_WAIT_MS;
  for (;;) {
    const still: string[] = [];
    for (const id of left) {
      // remove() answers 0 for a job a worker holds the lock of; a missing job counts as removed.
      const removed = await queue.remove(id).catch(() => 0);
      if (!removed && (await queue.getJobState(id)) !== 'unknown') still.push(id);
    }
    left = still;
    if (!left.length || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  // Every chunk is gone: no worker can meet the flag again.
  if (!left.length) await redis.del(cancelKey(renderId));
}
