import { promises as fs } from 'node:fs';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import { join } from 'node:path';
import { z } from 'zod';
import type { ImageReply, TrackingResult } from '../../../src-shared/ipc/contract.js';
import { TrackingDataWire, encodeTrackingData } from '../../../src-shared/tracks/tracking-wire.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { makeDir } from '../../fs/make-dir.js';
import type { ProjectFile, VideoRole } from '../../../src-shared/project/schema.js';
import { CHANNEL_IDS, tracksFromParams } from '../../../src-shared/timeline/index.js';
import { neutralParams, type FaceParams } from '../../../src-shared/face/index.js';
import { RECORD_FLOATS, REC_CONFIDENCE, REC_STATUS, STATUS_FACE, STATUS_UNTRACKED, readRecord } from '../../../src-shared/tracks/record.js';
import { smoothPoseTrack } from '../../../src-shared/face/fit/one-euro.js';
import type { JobContext } from '../jobs/job-runner.js';
import { runInWorker } from '../workers/run-in-worker.js';
import { readFrame } from '../video/decode.js';
import { encodePng } from '../../fs/png.js';
import { ActorFile, CropsFile, LANDMARK_FLOATS, readFloats, readJson, readJsonIfPresent, trackPaths } from './track-files.js';
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
  // The studio's curves are derived now, once, so that opening the project reads one file.
  if (r.complete) await trackingData(dir, project, role).catch(() => null);
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

/**
 * The curves the studio shows, compact (tracking-wire.ts). Built once per tracking and kept in
 * cache/ (deletable) keyed on the track files' size and time: opening a long project then
 * reads one file instead of re-deriving every frame's parameters.
 */
export async function trackingData(dir: string, project: ProjectFile, role: VideoRole): Promise<TrackingDataWire> {
  const paths = trackPaths(dir, role);
  const m = media(project, role);
  const key = await sourceKey([paths.records, paths.crops, paths.actor], m.probe.fps, m.probe.frameCount);
  const cacheFile = join(dir, 'cache', `tracking-data-${role}.json`);
  const cached = await readJsonIfPresent(cacheFile, CachedTrackingData, 'The cached tracking curves').catch(() => null);
  if (cached && cached.key === key) return cached.data;
  const { fps, frameCount, status, confidence, frames } = await loadTrackParams(dir, project, role);
  const tracks = tracksFromParams(fps, frames);
  const channels: Record<string, Float32Array> = {};
  for (const id of CHANNEL_IDS) channels[id] = tracks.channels[id];
  const actor = await readJson(paths.actor, ActorFile);
  const crops = await readJson(paths.crops, CropsFile);
  const data = encodeTrackingData({
    role,
    fps,
    frameCount,
    status,
    confidence,
    channels,
    sh: tracks.sh ?? new Float32Array(0),
    crops: crops?.crops ?? null,
    actor: actor ? { focalPx: actor.focalPx, width: actor.width, height: actor.height, neutral: actor.neutral, albedo: actor.albedo } : null,
  });
  // Only finished tracking is worth keeping: a running job changes the records every chunk.
  if (crops) {
    await makeDir(join(dir, 'cache'));
    await writeFileAtomic(cacheFile, JSON.stringify({ key, data })).catch(() => {
      /* a full disk only loses the cache */
    });
  }
  return data;
}

const CachedTrackingData = z.object({ key: z.string(), data: TrackingDataWire });

/** Changes whenever a file the curves come from is rewritten (or the video's timing changes). */
async function sourceKey(files: string[], fps: number, frameCount: number): Promise<string> {
  const parts = [CACHE_VERSION, String(fps), String(frameCount)];
  for (const f of files) {
    const st = await fs.stat(f).catch(() => null);
    parts.push(st ? `${st.size}:${st.mtimeMs}:${st.ino}` : '-');
  }
  return parts.join('|');
}

/** Bumped when what trackingData derives from the files changes. */
const CACHE_VERSION = 'v1';

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
