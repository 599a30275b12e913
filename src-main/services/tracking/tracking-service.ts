import { promises as fs } from 'node:fs';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import { join } from 'node:path';
import type { ImageReply, TrackingResult } from '../../../src-shared/ipc/contract.js';
import { TRACKING_DATA_MAX_FRAMES, encodeTrackingRange, type TrackingDataRange, type TrackingDataWire } from '../../../src-shared/tracks/tracking-wire.js';
import { makeDir } from '../../fs/make-dir.js';
import type { ProjectFile, VideoRole } from '../../../src-shared/project/schema.js';
import { CHANNEL_IDS } from '../../../src-shared/timeline/index.js';
import { neutralParams, type FaceParams } from '../../../src-shared/face/index.js';
import { RECORD_FLOATS, REC_CONFIDENCE, REC_STATUS, STATUS_FACE, STATUS_UNTRACKED, readRecord } from '../../../src-shared/tracks/record.js';
import { smoothPoseTrack } from '../../../src-shared/face/fit/one-euro.js';
import type { JobContext } from '../jobs/job-runner.js';
import { runInWorker } from '../workers/run-in-worker.js';
import { readFrame } from '../video/decode.js';
import { encodePng } from '../../fs/png.js';
import { ActorFile, LANDMARK_FLOATS, readFloats, readJson, trackPaths } from './track-files.js';
import { CACHE_FORMAT_VERSION, CacheUnusable, TrackingCache, memoryTrackingCache, revisionOf, writeTrackingCache, type CacheSource } from './tracking-cache.js';
import type { TrackVideoArgs, TrackVideoResult } from './track-video.js';
import { drawOverlay } from './overlay.js';

import { siblingModule } from '../workers/sibling-module.js';
const TASK = siblingModule(import.meta.url, 'track-video');

function media(project: ProjectFile, role: VideoRole) {
  const m = project.media[role];
  if (!m) throw new PortraitError('BAD_REQUEST', `The project has no ${role} video yet: import one first.`);
  return m;
}

export async function runTracking(dir: string, project: ProjectFile, role: VideoRole, restart: boolean, ctx: JobContext): Promise<TrackingResult> {
  const m = media(project, role);
  await fs.access(m.path).catch(() => {
    throw new PortraitError('FILE_NOT_FOUND', `The ${role} video is missing: ${m.path}. Move it back or re-import it.`);
  });
  const args: TrackVideoArgs = {
    dir,
    role,
    videoPath: m.path,
    videoSha256: m.sha256,
    fps: m.probe.fps,
    frameCount: m.probe.frameCount,
    width: m.probe.displayWidth,
    height: m.probe.displayHeight,
    restart,
  };
  const r = await runInWorker<TrackVideoArgs, TrackVideoResult>(TASK, 'trackVideoTask', args, {
    signal: ctx.signal,
    onProgress: (done, total, stage, metrics) => ctx.progress(done, total, stage, metrics),
  });
  // The studio's curves are derived now, once, so that opening the project reads them by range.
  if (r.complete) await ensureTrackingCache(dir, project, role).catch(() => null);
  return { role, frames: r.frames, framesTracked: r.framesTracked, framesWithFace: r.framesWithFace, resumedFrom: r.resumedFrom, warnings: r.warnings, timing: r.timing };
}

/** Reads a video's tracks as per-frame params (null where no usable face) plus status. */
export async function loadTrackParams(dir: string, project: ProjectFile, role: VideoRole) {
  const m = media(project, role);
  const paths = trackPaths(dir, role);
  const records = await readFloats(paths.records);
  const n = m.probe.frameCount;
  const status: number[] = new Array(n).fill(STATUS_UNTRACKED);
  const confidence: number[] = new Array(n).fill(0);
  const frames: (FaceParams | null)[] = new Array(n).fill(null);
  if (records && records.length >= n * RECORD_FLOATS) {
    for (let f = 0; f < n; f++) {
      const o = f * RECORD_FLOATS;
      status[f] = records[o + REC_STATUS]!;
      confidence[f] = records[o + REC_CONFIDENCE]!;
      if (status[f] === STATUS_FACE) {
        const p = neutralParams();
        readRecord(records, f, p);
        frames[f] = p;
      }
    }
  }
  // Pose gets a One Euro filter: removes detector jitter without lagging fast head turns.
  const faceIdx = frames.map((p, i) => (p ? i : -1)).filter((i) => i >= 0);
  const poses = faceIdx.map((i) => frames[i]!);
  if (poses.length > 1) smoothPoseTrack(poses, m.probe.fps);
  return { fps: m.probe.fps, frameCount: n, status, confidence, frames };
}

/** Where the derived curves of a video are kept (deletable). */
export function trackingCachePath(dir: string, role: VideoRole): string {
  return join(dir, 'cache', `tracking-data-${role}.bin`);
}

/**
 * The curves the studio shows, one range of frames at a time (tracking-wire.ts). They are derived
 * from the track files once per change of those files (a finished tracking: once) into
 * cache/tracking-data-<role>.bin (tracking-cache.ts), and every range is read from there.
 * `range.revision` (from an earlier reply) reads that same derivation while it is on disk, so a
 * client asking chunk by chunk gets replies that fit together even while tracking runs.
 */
export async function trackingData(dir: string, project: ProjectFile, role: VideoRole, range: TrackingDataRange = {}): Promise<TrackingDataWire> {
  const m = media(project, role);
  const n = m.probe.frameCount;
  const from = range.from ?? 0;
  const count = range.count ?? n - from;
  if (from > n || from + count > n) {
    throw new PortraitError('BAD_REQUEST', `Frames ${from}..${from + count - 1} of the ${role} video are past its end (${n} frames).`);
  }
  if (count > TRACKING_DATA_MAX_FRAMES) {
    throw new PortraitError('BAD_REQUEST', `The ${role} video has ${n} frames: ask for its tracking by range (from, count), at most ${TRACKING_DATA_MAX_FRAMES} frames at a time.`);
  }
  for (let attempt = 0; ; attempt++) {
    const cache = await currentCache(dir, project, role, attempt === 0 ? range.revision : undefined);
    try {
      const r = await cache.readRange(from, count);
      const h = cache.header;
      return encodeTrackingRange({ ...r, role, fps: h.fps, frameCount: h.frameCount, revision: revisionOf(h.key), actor: h.actor });
    } catch (e) {
      // A chunk that fails its check: the cache is rebuilt (once), never served.
      if (!(e instanceof CacheUnusable) || attempt > 0) throw e;
      await fs.rm(trackingCachePath(dir, role), { force: true }).catch(() => {});
      memoryCaches.delete(trackingCachePath(dir, role));
    } finally {
      await cache.close();
    }
  }
}

/** Derives the curves into cache/ now, unless they already are (the end of a tracking job). */
export async function ensureTrackingCache(dir: string, project: ProjectFile, role: VideoRole): Promise<void> {
  await (await currentCache(dir, project, role)).close();
}

/** Caches that could not be written to disk (a full disk, a read-only folder), by cache path: the last one of each. */
const memoryCaches = new Map<string, Buffer>();
/** Builds under way, by cache path and key: concurrent requests share one. */
const building = new Map<string, Promise<void>>();

async function currentCache(dir: string, project: ProjectFile, role: VideoRole, revision?: string): Promise<TrackingCache> {
  const m = media(project, role);
  const path = trackingCachePath(dir, role);
  const fits = (c: TrackingCache | null, ok: (h: TrackingCache['header']) => boolean) =>
    !!c && c.header.role === role && c.header.frameCount === m.probe.frameCount && c.header.channelIds.length === CHANNEL_IDS.length && c.header.channelIds.every((id, i) => id === CHANNEL_IDS[i]) && ok(c.header);
  const open = async (ok: (h: TrackingCache['header']) => boolean): Promise<TrackingCache | null> => {
    // The file, else the copy kept in memory when the file could not be written.
    const inMemory = memoryCaches.get(path);
    for (const load of [() => TrackingCache.openFile(path), () => (inMemory ? TrackingCache.openMemory(inMemory).catch(() => null) : null)]) {
      const c = await load();
      if (fits(c, ok)) return c;
      await c?.close();
    }
    return null;
  };
  if (revision) {
    const c = await open((h) => revisionOf(h.key) === revision);
    if (c) return c;
  }
  const paths = trackPaths(dir, role);
  // The key is taken before the files are read: a change while deriving makes the next request rebuild.
  const key = await sourceKey([paths.records, paths.crops, paths.actor, paths.coverage], m.probe.fps, m.probe.frameCount);
  const c = await open((h) => h.key === key);
  if (c) return c;
  const job = `${path}|${key}`;
  let build = building.get(job);
  if (!build) {
    build = buildCache(dir, role, path, { records: paths.records, crops: paths.crops, actor: paths.actor, role, fps: m.probe.fps, frameCount: m.probe.frameCount, key }).finally(() => building.delete(job));
    building.set(job, build);
  }
  await build;
  const built = await open((h) => h.key === key);
  if (!built) throw new PortraitError('INTERNAL', `The ${role} video's curves were derived but cannot be read back from ${path}.`);
  return built;
}

async function buildCache(dir: string, role: VideoRole, path: string, source: CacheSource): Promise<void> {
  try {
    await makeDir(join(dir, 'cache'));
    await writeTrackingCache(path, source);
    memoryCaches.delete(path);
  } catch (e) {
    // A full disk (or a read-only project) only loses the cache: the curves are kept in memory.
    if (e instanceof PortraitError) throw e;
    memoryCaches.set(path, await memoryTrackingCache(source));
  }
  // The whole-clip JSON cache of earlier versions (a 20-minute clip's is ~13 MB).
  await fs.rm(join(dir, 'cache', `tracking-data-${role}.json`), { force: true }).catch(() => {});
}

/** Changes whenever a file the curves come from is rewritten (or the video's timing changes). */
async function sourceKey(files: string[], fps: number, frameCount: number): Promise<string> {
  const parts = [`v${CACHE_FORMAT_VERSION}`, String(fps), String(frameCount)];
  for (const f of files) {
    const st = await fs.stat(f).catch(() => null);
    parts.push(st ? `${st.size}:${st.mtimeMs}:${st.ino}` : '-');
  }
  return parts.join('|');
}

export async function trackingOverlay(dir: string, project: ProjectFile, role: VideoRole, frame: number): Promise<ImageReply> {
  const m = media(project, role);
  if (frame >= m.probe.frameCount) throw new PortraitError('BAD_REQUEST', `Frame ${frame} is past the end (${m.probe.frameCount} frames).`);
  const img = await readFrame(m.path, frame, { fps: m.probe.fps });
  const paths = trackPaths(dir, role);
  const actor = await readJson(paths.actor, ActorFile);
  const records = await readFloats(paths.records);
  const landmarks = await readFloats(paths.landmarks);
  const rgb = new Uint8Array(img.data);
  drawOverlay(rgb, img.width, img.height, {
    actor,
    record: records && records.length >= (frame + 1) * RECORD_FLOATS ? records.subarray(frame * RECORD_FLOATS, (frame + 1) * RECORD_FLOATS) : null,
    landmarks: landmarks && landmarks.length >= (frame + 1) * LANDMARK_FLOATS ? landmarks.subarray(frame * LANDMARK_FLOATS, (frame + 1) * LANDMARK_FLOATS) : null,
  });
  return { width: img.width, height: img.height, dataUrl: pngDataUrl(rgb, img.width, img.height) };
}

export function pngDataUrl(rgb: Uint8Array, width: number, height: number): string {
  return `data:image/png;base64,${encodePng(rgb, width, height, 3).toString('base64')}`;
}
