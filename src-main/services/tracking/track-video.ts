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
  copyParams,
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

/**
 * load -> loop -> finish: a TrackingRun holds the run's state (files, the fitted actor, the
 * chunk being filled, counts and timing); the task only sequences it. A cancel or a damaged
 * video part way keeps everything tracked so far (durable chunks) for the next run to resume.
 */
export async function trackVideoTask(args: TrackVideoArgs, ctx: WorkerTaskContext): Promise<TrackVideoResult> {
  const run = await TrackingRun.load(args, ctx);
  try {
    await run.loop();
  } catch (e) {
    return await run.stopped(e);
  }
  return await run.finish();
}

class TrackingRun {
  private readonly paths: ReturnType<typeof trackPaths>;
  private readonly n: number;
  private readonly chunkFrames: number;
  private readonly chunkRec: Float32Array;
  private readonly chunkLm: Float32Array;
  private chunkStart: number;
  private chunkCount = 0;
  private fitter: FrameFitter | null;
  private readonly geometry = createFaceGeometry();
  private readonly points2d = new Float32Array(VERTEX_COUNT * 2);
  private readonly samples = createVertexSamples();
  private readonly params = neutralParams();
  private fitMs = 0;
  private fitted = 0;
  private lmTiming = { decodeMs: 0, detectMs: 0 };
  private readonly t0 = Date.now();
  /** Frames buffered until the actor is estimated from the first ones with a face. */
  private readonly pending: Buffered[] = [];
  private decodedFrames: number;

  private constructor(
    private readonly args: TrackVideoArgs,
    private readonly ctx: WorkerTaskContext,
    private readonly warnings: string[],
    private readonly records: FrameFile,
    private readonly lmFile: FrameFile,
    private readonly resumedFrom: number,
    private framesWithFace: number,
    private multiFaceFrames: number,
    private actor: ActorModel | null,
    private camera: CameraIntrinsics | null,
    /** The last frame's fit when it had a face: the next fit starts from it. */
    private warm: FaceParams | null,
  ) {
    this.paths = trackPaths(args.dir, args.role);
    this.n = args.frameCount;
    this.chunkFrames = args.chunkFrames ?? 24;
    this.chunkRec = new Float32Array(this.chunkFrames * RECORD_FLOATS);
    this.chunkLm = new Float32Array(this.chunkFrames * LANDMARK_FLOATS);
    this.chunkStart = resumedFrom;
    this.decodedFrames = resumedFrom;
    this.fitter = actor && camera ? new FrameFitter(actor, camera) : null;
  }

  /** Where to start: a restart, a resume of the tracked frames and actor, or fresh; opens the track files. */
  static async load(args: TrackVideoArgs, ctx: WorkerTaskContext): Promise<TrackingRun> {
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
    const camera: CameraIntrinsics | null = actorFile ? { focalPx: actorFile.focalPx, width: actorFile.width, height: actorFile.height } : null;
    const actor: ActorModel | null = actorFile ? createActorModel(Float32Array.from(actorFile.neutral), Float32Array.from(actorFile.albedo)) : null;
    let warm: FaceParams | null = null;
    if (!fresh && resumedFrom > 0 && existing) {
      const prev = neutralParams();
      if (readRecord(existing, resumedFrom - 1, prev) === STATUS_FACE) warm = prev;
    }
    return new TrackingRun(args, ctx, warnings, records, lmFile, resumedFrom, fresh ? 0 : coverage!.framesWithFace, fresh ? 0 : coverage!.multiFaceFrames, actor, camera, warm);
  }

  /** Landmarks from the worker pool beside the frames' pixels, each frame fitted in order. */
  async loop(): Promise<void> {
    const { args, ctx, n, resumedFrom } = this;
    const landmarks = trackLandmarks(args.videoPath, {
      range: { start: resumedFrom },
      // A resumed run detects exactly as the uninterrupted one (same chunk starts).
      chunkGrid: true,
      fps: args.fps,
      signal: ctx.signal,
      onProgress: (p) => (this.lmTiming = { decodeMs: p.decodeMs, detectMs: p.detectMs }),
      ...(args.workers ? { workers: args.workers } : {}),
    });
    const pixels = decodeFrames(args.videoPath, { start: resumedFrom, fps: args.fps, signal: ctx.signal });
    ctx.progress(resumedFrom, n, resumedFrom > 0 ? `Resuming at frame ${resumedFrom}` : 'Loading face detector');
    for await (const tf of landmarks as AsyncIterable<TrackedFrame>) {
      if (ctx.signal.aborted) break;
      const px = await pixels.next();
      if (px.done) break;
      if (tf.frame >= n) break;
      this.decodedFrames = tf.frame + 1;
      const b: Buffered = { frame: tf.frame, landmarks: tf.landmarks?.points ?? null, rgb: px.value.data, multi: (tf.landmarks?.faceCount ?? 0) > 1 };
      if (!this.actor) {
        this.pending.push(b);
        const withFace = this.pending.filter((p) => p.landmarks).length;
        if (withFace < IDENTITY_FRAMES && tf.frame < n - 1) continue;
        if (withFace === 0) continue;
        const est = await estimateActor(args, this.pending, ctx);
        this.actor = est.actor;
        this.camera = est.camera;
        await writeJson(this.paths.actor, est.actorFile);
        this.fitter = new FrameFitter(est.actor, est.camera);
        for (const p of this.pending.splice(0)) await this.fitOne(p);
        continue;
      }
      await this.fitOne(b);
    }
    await pixels.return?.(undefined);
  }

  /** A failure or cancel part way: what was tracked is made durable; a cancel is a partial result. */
  async stopped(e: unknown): Promise<TrackVideoResult> {
    if (this.actor) for (const p of this.pending.splice(0)) await this.fitOne(p);
    await this.flush();
    await this.closeFiles();
    if ((e as PortraitError).code === 'CANCELLED') return this.result(false);
    throw e;
  }

  /** The end of the video (or a cancel between frames): the tail, head crops and coverage. */
  async finish(): Promise<TrackVideoResult> {
    const { n, paths, warnings } = this;
    if (!this.actor) {
      // No face anywhere: record every frame as faceless so the coverage is honest.
      for (let i = this.pending.splice(0).length; i > 0; i--) {
        writeRecord(this.chunkRec, this.chunkCount, neutralParams(), STATUS_NO_FACE, 0);
        this.chunkLm.fill(Number.NaN, this.chunkCount * LANDMARK_FLOATS, (this.chunkCount + 1) * LANDMARK_FLOATS);
        this.chunkCount++;
        if (this.chunkCount === this.chunkFrames) await this.flush();
      }
      await this.flush();
      await this.closeFiles();
      throw new PortraitError('NO_FACE', `No face was found in any of the ${this.decodedFrames} frames of the ${this.args.role} video.`);
    }
    await this.flush();
    const cancelled = this.ctx.signal.aborted;
    const complete = !cancelled && this.chunkStart >= Math.min(n, this.decodedFrames);
    if (complete && this.decodedFrames < n) {
      warnings.push(`The video has ${this.decodedFrames} decodable frames, fewer than the ${n} its header announces; the rest are marked as having no face.`);
      const tail = new Float32Array(RECORD_FLOATS);
      for (let f = this.decodedFrames; f < n; f++) {
        writeRecord(tail, 0, neutralParams(), STATUS_NO_FACE, 0);
        await this.records.write(f, tail);
      }
      await this.records.sync();
      this.chunkStart = n;
    }
    await this.closeFiles();
    if (this.multiFaceFrames > 0) warnings.push(`${count(this.multiFaceFrames, 'frame')} showed more than one face; the largest face was tracked in each.`);
    if (complete) {
      this.ctx.progress(n, n, 'Framing head crops');
      const all = await readFloats(paths.records);
      if (all && this.camera) await writeJson(paths.crops, { version: 1, crops: computeCrops(all, n, this.actor, this.camera) });
    }
    await writeJson(paths.coverage, { framesTracked: this.chunkStart, framesWithFace: this.framesWithFace, resumeFrom: this.chunkStart, complete, multiFaceFrames: this.multiFaceFrames } satisfies CoverageFile);
    this.ctx.progress(this.chunkStart, n, complete ? 'Tracked' : 'Paused', { fps: (this.chunkStart - this.resumedFrom) / Math.max(1e-3, (Date.now() - this.t0) / 1000) });
    return this.result(complete);
  }

  private result(complete: boolean): TrackVideoResult {
    return {
      frames: this.n,
      framesTracked: this.chunkStart,
      framesWithFace: this.framesWithFace,
      resumedFrom: this.resumedFrom,
      complete,
      warnings: this.warnings,
      timing: {
        wallSec: (Date.now() - this.t0) / 1000,
        decodeMsPerFrame: this.lmTiming.decodeMs,
        detectMsPerFrame: this.lmTiming.detectMs,
        fitMsPerFrame: this.fitted ? this.fitMs / this.fitted : 0,
      },
    };
  }

  private async closeFiles(): Promise<void> {
    await this.records.close();
    await this.lmFile.close();
  }

  /** Writes the chunk (records and landmarks, synced), then the coverage that points past it. */
  private async flush(): Promise<void> {
    if (this.chunkCount === 0) return;
    await this.records.write(this.chunkStart, this.chunkRec.subarray(0, this.chunkCount * RECORD_FLOATS));
    await this.lmFile.write(this.chunkStart, this.chunkLm.subarray(0, this.chunkCount * LANDMARK_FLOATS));
    await this.records.sync();
    await this.lmFile.sync();
    this.chunkStart += this.chunkCount;
    this.chunkCount = 0;
    await writeJson(this.paths.coverage, {
      framesTracked: this.chunkStart,
      framesWithFace: this.framesWithFace,
      resumeFrom: this.chunkStart,
      complete: false,
      multiFaceFrames: this.multiFaceFrames,
    } satisfies CoverageFile);
  }

  /** Fits one frame (pose, expression, gaze, blinks, then SH lighting from its pixels) into the chunk. */
  private async fitOne(b: Buffered): Promise<void> {
    const { params, fitter, actor, camera } = this;
    const slot = this.chunkCount;
    const ft = performance.now();
    this.chunkLm.fill(Number.NaN, slot * LANDMARK_FLOATS, (slot + 1) * LANDMARK_FLOATS);
    let status = STATUS_NO_FACE;
    let confidence = 0;
    if (b.landmarks && fitter && actor && camera) {
      this.chunkLm.set(b.landmarks.subarray(0, LANDMARK_FLOATS), slot * LANDMARK_FLOATS);
      const r = fitter.fit(b.landmarks, params, this.warm);
      confidence = r.confidence;
      evalFace(actor, params, this.geometry);
      project(camera, this.geometry.positions, this.points2d);
      sampleVertexColours({ data: b.rgb, width: camera.width, height: camera.height, channels: 3 }, this.points2d, this.geometry.positions, this.geometry.normals, this.samples);
      solveLighting(actor.albedo, this.samples, params.sh);
      if (confidence >= MIN_CONFIDENCE) {
        status = STATUS_FACE;
        this.framesWithFace++;
        this.warm = copyParams(params, this.warm ?? undefined);
      } else this.warm = null;
      if (b.multi) this.multiFaceFrames++;
    } else {
      copyParams(neutralParams(), params);
      this.warm = null;
    }
    writeRecord(this.chunkRec, slot, params, status, confidence);
    this.fitMs += performance.now() - ft;
    this.fitted++;
    this.chunkCount++;
    const done = b.frame + 1;
    if (this.chunkCount === this.chunkFrames) await this.flush();
    this.ctx.progress(done, this.n, 'Tracking');
  }
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
