/**
 * The tracking task (runs in a worker thread): landmarks from the worker pool, the face
 * model fit per frame, SH lighting from the frame's pixels, records written durably in
 * chunks so that a re-run resumes where a cancel or a crash stopped it.
 *
 * Identity (neutral shape), focal length and albedo are estimated once from the first
 * frames with a face, then frozen, as in Deep Video Portraits.
 */
import { promises as fs } from 'node:fs';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import type { VideoRole } from '../../../src-shared/project/schema.js';
import {
  createActorModel,
  createFaceGeometry,
  evalFace,
  neutralParams,
  project,
  VERTEX_COUNT,
  type ActorModel,
  type CameraIntrinsics,
  type FaceParams,
} from '../../../src-shared/face/index.js';
import { FrameFitter } from '../../../src-shared/face/fit/frame-fit.js';
import { estimateIdentity } from '../../../src-shared/face/fit/identity.js';
import { estimateFocal, cameraFor } from '../../../src-shared/face/fit/focal.js';
import { createVertexSamples, estimateAlbedo, sampleVertexColours, solveLighting, type VertexSamples } from '../../../src-shared/face/fit/photometric.js';
import { headBox, smoothCrops, type CropBox } from '../../../src-shared/conditioning/index.js';
import { RECORD_FLOATS, STATUS_FACE, STATUS_NO_FACE, readRecord, writeRecord } from '../../../src-shared/tracks/record.js';
import { decodeFrames } from '../video/decode.js';
import { trackLandmarks } from '../landmarks/track.js';
import type { TrackedFrame } from '../landmarks/types.js';
import type { WorkerTaskContext } from '../workers/run-in-worker.js';
import { ActorFile, CoverageFile, FrameFile, LANDMARK_FLOATS, readFloats, readJsonIfPresent, trackPaths, writeJson } from './track-files.js';
import { count } from '../../../src-shared/text/count.js';

export interface TrackVideoArgs {
  dir: string;
  role: VideoRole;
  videoPath: string;
  videoSha256: string;
  fps: number;
  frameCount: number;
  width: number;
  height: number;
  restart: boolean;
  /** Landmark worker threads (default: cores). */
  workers?: number;
  /** Frames per durable chunk. */
  chunkFrames?: number;
}

export interface TrackVideoResult {
  frames: number;
  framesTracked: number;
  framesWithFace: number;
  resumedFrom: number;
  complete: boolean;
  warnings: string[];
  timing: TrackTiming;
}

export interface TrackTiming {
  wallSec: number;
  /** Means per frame: decode and landmark detection inside the landmark workers, fit + lighting here. */
  decodeMsPerFrame: number;
  detectMsPerFrame: number;
  fitMsPerFrame: number;
}

/** Frames used for identity/focal/albedo; the paper uses the first frames too. */
const IDENTITY_FRAMES = 24;
/** Below this fit confidence a frame is kept but marked as having no usable face. */
const MIN_CONFIDENCE = 0.15;

interface Buffered {
  frame: number;
  landmarks: Float32Array | null;
  rgb: Uint8Array;
  multi: boolean;
}

export async function trackVideoTask(args: TrackVideoArgs, ctx: WorkerTaskContext): Promise<TrackVideoResult> {
  const paths = trackPaths(args.dir, args.role);
  const n = args.frameCount;
  const warnings: string[] = [];
  const damaged = (e: unknown): never => {
    if (e instanceof PortraitError && e.code === 'PROJECT_CORRUPT') {
      throw new PortraitError('PROJECT_CORRUPT', `${e.message} The tracks of the ${args.role} video were left as they are; track it again with restart to redo them.`);
    }
    throw e;
  };
  let coverage = args.restart ? null : await readJsonIfPresent(paths.coverage, CoverageFile, `The tracking progress of the ${args.role} video`).catch(damaged);
  let actorFile = args.restart ? null : await readJsonIfPresent(paths.actor, ActorFile, `The tracked actor of the ${args.role} video`).catch(damaged);
  if (args.restart) {
    // Forget the old tracking before its frames are overwritten: a restart killed in its first
    // seconds then leaves a project that says "not tracked", never one that claims frames it lost.
    for (const f of [paths.coverage, paths.crops, paths.actor]) await fs.rm(f, { force: true });
  }
  if (actorFile && (actorFile.videoSha256 !== args.videoSha256 || actorFile.frameCount !== n)) {
    warnings.push('The video changed since it was last tracked: tracking starts over.');
    actorFile = null;
    coverage = null;
  }
  const fresh = !actorFile || !coverage;
  const records = await FrameFile.open(paths.records, n, RECORD_FLOATS, fresh);
  const lmFile = await FrameFile.open(paths.landmarks, n, LANDMARK_FLOATS, fresh);
  const existing = fresh ? null : await readFloats(paths.records);
  const resumedFrom = fresh ? 0 : Math.min(coverage!.resumeFrom, n);
  let framesWithFace = fresh ? 0 : coverage!.framesWithFace;
  let multiFaceFrames = fresh ? 0 : coverage!.multiFaceFrames;
  let camera: CameraIntrinsics | null = actorFile ? { focalPx: actorFile.focalPx, width: actorFile.width, height: actorFile.height } : null;
  let actor: ActorModel | null = actorFile ? createActorModel(Float32Array.from(actorFile.neutral), Float32Array.from(actorFile.albedo)) : null;
  let fitter: FrameFitter | null = actor && camera ? new FrameFitter(actor, camera) : null;

  const chunkFrames = args.chunkFrames ?? 24;
  const chunkRec = new Float32Array(chunkFrames * RECORD_FLOATS);
  const chunkLm = new Float32Array(chunkFrames * LANDMARK_FLOATS);
  let chunkStart = resumedFrom;
  let chunkCount = 0;
  let done = resumedFrom;

  const geometry = createFaceGeometry();
  const points2d = new Float32Array(VERTEX_COUNT * 2);
  const samples = createVertexSamples();
  const params = neutralParams();
  let warm: FaceParams | null = null;
  if (!fresh && resumedFrom > 0 && existing) {
    const prev = neutralParams();
    if (readRecord(existing, resumedFrom - 1, prev) === STATUS_FACE) warm = prev;
  }

  const flush = async () => {
    if (chunkCount === 0) return;
    await records.write(chunkStart, chunkRec.subarray(0, chunkCount * RECORD_FLOATS));
    await lmFile.write(chunkStart, chunkLm.subarray(0, chunkCount * LANDMARK_FLOATS));
    await records.sync();
    await lmFile.sync();
    chunkStart += chunkCount;
    chunkCount = 0;
    await writeJson(paths.coverage, {
      framesTracked: chunkStart,
      framesWithFace,
      resumeFrom: chunkStart,
      complete: false,
      multiFaceFrames,
    } satisfies CoverageFile);
  };

  let fitMs = 0;
  let fitted = 0;
  let lmTiming = { decodeMs: 0, detectMs: 0 };
  const timing = (): TrackTiming => ({
    wallSec: (Date.now() - t0) / 1000,
    decodeMsPerFrame: lmTiming.decodeMs,
    detectMsPerFrame: lmTiming.detectMs,
    fitMsPerFrame: fitted ? fitMs / fitted : 0,
  });
  const fitOne = async (b: Buffered) => {
    const slot = chunkCount;
    const ft = performance.now();
    chunkLm.fill(Number.NaN, slot * LANDMARK_FLOATS, (slot + 1) * LANDMARK_FLOATS);
    let status = STATUS_NO_FACE;
    let confidence = 0;
    if (b.landmarks && fitter && actor && camera) {
      chunkLm.set(b.landmarks.subarray(0, LANDMARK_FLOATS), slot * LANDMARK_FLOATS);
      const r = fitter.fit(b.landmarks, params, warm);
      confidence = r.confidence;
      evalFace(actor, params, geometry);
      project(camera, geometry.positions, points2d);
      sampleVertexColours({ data: b.rgb, width: camera.width, height: camera.height, channels: 3 }, points2d, geometry.positions, geometry.normals, samples);
      solveLighting(actor.albedo, samples, params.sh);
      if (confidence >= MIN_CONFIDENCE) {
        status = STATUS_FACE;
        framesWithFace++;
        warm = cloneParams(params, warm);
      } else warm = null;
      if (b.multi) multiFaceFrames++;
    } else {
      const neutral = neutralParams();
      Object.assign(params, { ...neutral, expression: params.expression.fill(0), sh: params.sh.fill(0) });
      params.sh[0] = params.sh[1] = params.sh[2] = 1;
      warm = null;
    }
    writeRecord(chunkRec, slot, params, status, confidence);
    fitMs += performance.now() - ft;
    fitted++;
    chunkCount++;
    done = b.frame + 1;
    if (chunkCount === chunkFrames) await flush();
    ctx.progress(done, n, 'Tracking');
  };

  const t0 = Date.now();
  const pending: Buffered[] = [];
  let decodedFrames = resumedFrom;
  try {
    const landmarks = trackLandmarks(args.videoPath, {
      range: { start: resumedFrom },
      // A resumed run detects exactly as the uninterrupted one (same chunk starts).
      chunkGrid: true,
      fps: args.fps,
      signal: ctx.signal,
      onProgress: (p) => (lmTiming = { decodeMs: p.decodeMs, detectMs: p.detectMs }),
      ...(args.workers ? { workers: args.workers } : {}),
    });
    const pixels = decodeFrames(args.videoPath, { start: resumedFrom, fps: args.fps, signal: ctx.signal });
    ctx.progress(resumedFrom, n, resumedFrom > 0 ? `Resuming at frame ${resumedFrom}` : 'Loading face detector');
    for await (const tf of landmarks as AsyncIterable<TrackedFrame>) {
      if (ctx.signal.aborted) break;
      const px = await pixels.next();
      if (px.done) break;
      if (tf.frame >= n) break;
      decodedFrames = tf.frame + 1;
      const b: Buffered = { frame: tf.frame, landmarks: tf.landmarks?.points ?? null, rgb: px.value.data, multi: (tf.landmarks?.faceCount ?? 0) > 1 };
      if (!actor) {
        pending.push(b);
        const withFace = pending.filter((p) => p.landmarks).length;
        if (withFace < IDENTITY_FRAMES && tf.frame < n - 1) continue;
        if (withFace === 0) continue;
        ({ actor, camera, actorFile } = await estimateActor(args, pending, ctx));
        await writeJson(paths.actor, actorFile);
        fitter = new FrameFitter(actor, camera);
        for (const p of pending.splice(0)) await fitOne(p);
        continue;
      }
      await fitOne(b);
    }
    await pixels.return?.(undefined);
  } catch (e) {
    // Keep what was tracked: flush durable progress before reporting (corrupt file halfway).
    if (actor) for (const p of pending.splice(0)) await fitOne(p);
    await flush();
    await records.close();
    await lmFile.close();
    if ((e as PortraitError).code === 'CANCELLED') return { frames: n, framesTracked: chunkStart, framesWithFace, resumedFrom, complete: false, warnings, timing: timing() };
    throw e;
  }
  if (!actor) {
    // No face anywhere: record every frame as faceless so the coverage is honest.
    for (let i = pending.splice(0).length; i > 0; i--) {
      writeRecord(chunkRec, chunkCount, neutralParams(), STATUS_NO_FACE, 0);
      chunkLm.fill(Number.NaN, chunkCount * LANDMARK_FLOATS, (chunkCount + 1) * LANDMARK_FLOATS);
      chunkCount++;
      if (chunkCount === chunkFrames) await flush();
    }
    await flush();
    await records.close();
    await lmFile.close();
    throw new PortraitError('NO_FACE', `No face was found in any of the ${decodedFrames} frames of the ${args.role} video.`);
  }
  await flush();
  const cancelled = ctx.signal.aborted;
  const complete = !cancelled && chunkStart >= Math.min(n, decodedFrames);
  if (complete && decodedFrames < n) {
    warnings.push(`The video has ${decodedFrames} decodable frames, fewer than the ${n} its header announces; the rest are marked as having no face.`);
    const tail = new Float32Array(RECORD_FLOATS);
    for (let f = decodedFrames; f < n; f++) {
      writeRecord(tail, 0, neutralParams(), STATUS_NO_FACE, 0);
      await records.write(f, tail);
    }
    await records.sync();
    chunkStart = n;
  }
  await records.close();
  await lmFile.close();
  if (multiFaceFrames > 0) warnings.push(`${count(multiFaceFrames, 'frame')} showed more than one face; the largest face was tracked in each.`);
  if (complete) {
    ctx.progress(n, n, 'Framing head crops');
    const all = await readFloats(paths.records);
    if (all && camera) await writeJson(paths.crops, { version: 1, crops: computeCrops(all, n, actor, camera) });
  }
  await writeJson(paths.coverage, { framesTracked: chunkStart, framesWithFace, resumeFrom: chunkStart, complete, multiFaceFrames } satisfies CoverageFile);
  ctx.progress(chunkStart, n, complete ? 'Tracked' : 'Paused', { fps: (chunkStart - resumedFrom) / Math.max(1e-3, (Date.now() - t0) / 1000) });
  return { frames: n, framesTracked: chunkStart, framesWithFace, resumedFrom, complete, warnings, timing: timing() };
}

function cloneParams(p: FaceParams, into: FaceParams | null): FaceParams {
  const q = into ?? neutralParams();
  q.yaw = p.yaw;
  q.pitch = p.pitch;
  q.roll = p.roll;
  q.tx = p.tx;
  q.ty = p.ty;
  q.tz = p.tz;
  q.expression.set(p.expression);
  q.gazeLeft = { ...p.gazeLeft };
  q.gazeRight = { ...p.gazeRight };
  q.blinkLeft = p.blinkLeft;
  q.blinkRight = p.blinkRight;
  q.sh.set(p.sh);
  return q;
}

async function estimateActor(args: TrackVideoArgs, frames: Buffered[], ctx: WorkerTaskContext): Promise<{ actor: ActorModel; camera: CameraIntrinsics; actorFile: ActorFile }> {
  ctx.progress(frames[0]?.frame ?? 0, args.frameCount, 'Estimating identity, camera and albedo');
  const withFace = frames.filter((f) => f.landmarks);
  const lms = withFace.map((f) => f.landmarks!);
  const base = createActorModel();
  const focal = estimateFocal(lms.slice(0, 8), base, args.width, args.height, 10);
  // Perspective is weakly observable from a face: keep the default unless the search clearly helps.
  const cam0 = cameraFor(args.width, args.height);
  const camera = focal.errorAtEstimate < 0.9 * focal.errorAtDefault ? cameraFor(args.width, args.height, focal.focalPx) : cam0;
  const shaped = estimateIdentity(lms, camera, base);
  const fitter = new FrameFitter(shaped, camera);
  const geometry = createFaceGeometry();
  const p = neutralParams();
  const pts = new Float32Array(VERTEX_COUNT * 2);
  const samples: VertexSamples[] = [];
  for (const f of withFace) {
    fitter.fit(f.landmarks!, p, null);
    evalFace(shaped, p, geometry);
    project(camera, geometry.positions, pts);
    const s = createVertexSamples();
    sampleVertexColours({ data: f.rgb, width: camera.width, height: camera.height, channels: 3 }, pts, geometry.positions, geometry.normals, s);
    samples.push(s);
  }
  const albedo = new Float32Array(VERTEX_COUNT * 3);
  estimateAlbedo(samples, albedo, base.albedo);
  const actor = createActorModel(shaped.neutral, albedo);
  return {
    actor,
    camera,
    actorFile: {
      version: 1,
      videoSha256: args.videoSha256,
      fps: args.fps,
      frameCount: args.frameCount,
      focalPx: camera.focalPx,
      width: camera.width,
      height: camera.height,
      neutral: Array.from(actor.neutral),
      albedo: Array.from(actor.albedo),
      identityFrames: withFace.map((f) => f.frame),
    },
  };
}

/** Per-frame head boxes from the fitted mesh, smoothed over the whole track. */
export function computeCrops(records: Float32Array, n: number, actor: ActorModel, camera: CameraIntrinsics): CropBox[] {
  const geometry = createFaceGeometry();
  const p = neutralParams();
  const sx = new Float32Array(VERTEX_COUNT);
  const sy = new Float32Array(VERTEX_COUNT);
  const pts = new Float32Array(VERTEX_COUNT * 2);
  const boxes: (CropBox | null)[] = [];
  for (let f = 0; f < n; f++) {
    if (readRecord(records, f, p) !== STATUS_FACE) {
      boxes.push(null);
      continue;
    }
    evalFace(actor, p, geometry);
    project(camera, geometry.positions, pts);
    for (let i = 0; i < VERTEX_COUNT; i++) {
      sx[i] = pts[2 * i]!;
      sy[i] = pts[2 * i + 1]!;
    }
    boxes.push(headBox(sx, sy, VERTEX_COUNT));
  }
  return smoothCrops(boxes);
}
