import { join } from 'node:path';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import type { ProjectFile } from '../../../src-shared/project/schema.js';
import { neutralParams, type FaceParams } from '../../../src-shared/face/index.js';
import { emptyEdits, evaluate, tracksFromParams, type TimelineDoc } from '../../../src-shared/timeline/index.js';
import {
  appendReference, REFERENCE_EXCLUSION_FRAMES, FaceConditioning, FrameCache, LocalTextures, meanOfImages, ReferenceIndex, TextureBuilder, WindowAssembler, CHANNELS_PER_FRAME, WINDOW_CHANNELS, WINDOW_FRAMES, type CorrespondenceView, type CropBox,
} from '../../../src-shared/conditioning/index.js';
import { PARAM_VECTOR_LENGTH, paramVector } from '../../../src-shared/evaluation/retrieval.js';
import { cropResize } from '../../../src-shared/image/crop.js';
import type { ReferenceMode } from '../../net/model/profiles.js';
import { decodeFrames } from '../video/decode.js';
import { ActorFile, CropsFile, readJson, trackPaths } from '../tracking/track-files.js';
import { loadTrackParams } from '../tracking/tracking-service.js';
import { createActorModel } from '../../../src-shared/face/index.js';
import { makeDir } from '../../fs/make-dir.js';
import { CropReader, writeCropFile } from './crop-file.js';

/**
 * Training data of the target actor: real frames cropped to the smoothed head box and
 * resized to the network resolution (cached on disk), and space-time conditioning windows
 * rendered on demand from the *tracked* parameters (self-reenactment), with an LRU cache.
 * The last `holdout` fraction of frames is held out for validation, as in the paper.
 * Crops are read from the cache file through a small LRU (crop-file.ts), never all in memory:
 * close() the dataset when done with it.
 */
export interface Dataset {
  size: number;
  frameCount: number;
  trainFrames: number[];
  heldOutFrames: number[];
  /** size x size x 3 RGB8 of frame f (read from disk through a small cache; do not modify). */
  frame(f: number): Uint8Array;
  /** Releases the crop file; frame() and window() with a reference fail afterwards. */
  close(): void;
  /** values of one network input: size x size x (99, or 102 with a reference) */
  inputLength: number;
  /** the reference crops (options.reference), null without */
  reference: ReferenceSource | null;
  /**
   * The network input of frame f, written into out: the 99-channel window ending at f, then
   * (with options.reference) the reference crop chosen by f's tracked parameters.
   */
  window(f: number, out: Float32Array): Float32Array;
  /** The frame's own 9-channel conditioning image (for sample grids). */
  conditioning(f: number, out: Float32Array): Float32Array;
}

export interface DatasetOptions {
  size: number;
  holdout: number;
  /** append the reference crop to each window (profile option reference; true = nearest-params) */
  reference?: boolean | ReferenceMode;
  /**
   * With the unwrapped-texture reference, keep the per-frame textures too (the reference's
   * drawLocal) while the network's input stays the average texture: the evaluation's local
   * textured model without unwrapping the crops a second time.
   */
  localTextures?: boolean;
  /** The reference index's exclusion for training frames (profile option trainingExclusion; REFERENCE_EXCLUSION_FRAMES when absent). */
  trainingExclusion?: number;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, stage: string) => void;
}

export async function loadDataset(dir: string, project: ProjectFile, opts: DatasetOptions): Promise<Dataset> {
  const target = project.media.target;
  if (!target) throw new PortraitError('BAD_REQUEST', 'Import and track a target video before training.');
  const paths = trackPaths(dir, 'target');
  const actorFile = await readJson(paths.actor, ActorFile);
  const cropsFile = await readJson(paths.crops, CropsFile);
  if (!actorFile || !cropsFile) throw new PortraitError('BAD_REQUEST', 'Track the target video to the end before training (its tracking is missing or unfinished).');
  const tracks = await loadTrackParams(dir, project, 'target');
  const n = tracks.frameCount;
  const trainEnd = Math.floor(n * (1 - opts.holdout));
  const valid = (f: number) => tracks.status[f] === 1;
  const trainFrames: number[] = [];
  const heldOutFrames: number[] = [];
  for (let f = 0; f < n; f++) if (valid(f)) (f < trainEnd ? trainFrames : heldOutFrames).push(f);
  if (trainFrames.length < 2 || heldOutFrames.length < 1) {
    throw new PortraitError(
      'BAD_REQUEST',
      `Too few usable frames to train: ${trainFrames.length} for training and ${heldOutFrames.length} held out (the last ${Math.round(opts.holdout * 100)}% of ${n} frames). Use a longer target video.`,
    );
  }
  const size = opts.size;
  const crops = await cropReader(dir, target.path, target.sha256, target.probe.fps, n, cropsFile.crops, size, opts);
  const doc: TimelineDoc = { base: tracksFromParams(tracks.fps, tracks.frames), edits: emptyEdits() };
  const actor = createActorModel(Float32Array.from(actorFile.neutral), Float32Array.from(actorFile.albedo));
  const fc = new FaceConditioning(actor, { focalPx: actorFile.focalPx, width: actorFile.width, height: actorFile.height }, size);
  const params: FaceParams = neutralParams();
  const render = (f: number, out: Float32Array) => fc.render(evaluate(doc, f, params), cropsFile.crops[f]!, out);
  const cache = new FrameCache(64, size * size * CHANNELS_PER_FRAME);
  const assembler = new WindowAssembler(size, size, cache, render);
  const frame = (f: number) => crops.frame(f);
  const mode: ReferenceMode = opts.reference === true ? 'nearest-params' : opts.reference || 'none';
  const reference = mode === 'none'
    ? null
    : mode === 'unwrapped-texture' || mode === 'local-texture' || mode === 'local-texture-posed'
    ? {
        ...(await textureSource(trainFrames, frame, render, size, {
          ...(opts.signal ? { signal: opts.signal } : {}),
          ...(opts.onProgress ? { onProgress: opts.onProgress } : {}),
          ...(opts.trainingExclusion !== undefined ? { trainingExclusion: opts.trainingExclusion } : {}),
          ...(mode !== 'unwrapped-texture' || opts.localTextures ? { paramsOf: (g: number) => tracks.frames[g]!, localInput: mode !== 'unwrapped-texture' } : {}),
          ...(mode === 'local-texture-posed' ? { posedBackground: true } : {}),
        })),
        close: () => crops.close(),
      }
    : { ...referenceSource(trainFrames, (g) => tracks.frames[g]!, frame, mode === 'nearest-params' ? 1 : 4, mode === 'mean-of-4-nearest-face', opts.trainingExclusion), close: () => crops.close() };
  const input = new NetworkInput(size, reference);
  return {
    size,
    frameCount: n,
    trainFrames,
    heldOutFrames,
    inputLength: input.length,
    reference,
    frame,
    close: () => crops.close(),
    window: (f, out) => input.build(f, (w) => assembler.assemble(f, 0, w), () => evaluate(doc, f, params), out),
    conditioning: (f, out) => render(f, out),
  };
}

/**
 * The network's input for one frame: its conditioning window, then, when the profile takes a
 * reference, the reference crop for the parameters the window's newest frame is rendered with.
 */
export class NetworkInput {
  /** values per input: size x size x (99, or 102 with a reference) */
  readonly length: number;
  private readonly scratch: Float32Array | null;

  constructor(size: number, private readonly reference: ReferenceSource | null) {
    this.length = size * size * (WINDOW_CHANNELS + (reference ? 3 : 0));
    this.scratch = reference ? new Float32Array(size * size * WINDOW_CHANNELS) : null;
  }

  build(f: number, assemble: (out: Float32Array) => Float32Array, params: () => FaceParams, out: Float32Array = new Float32Array(this.length)): Float32Array {
    if (!this.reference) return assemble(out);
    assemble(this.scratch!);
    return appendReference(this.scratch!, WINDOW_CHANNELS, this.reference.forFrame(params(), f, this.scratch!), out);
  }
}

/** Real appearance of the actor for the reference input. */
export interface ReferenceSource {
  /**
   * The RGB8 reference of `frame`, rendered with parameters `p` and whose conditioning window
   * (WINDOW_CHANNELS per pixel, the frame itself last) is `window`: a training crop chosen
   * by parameters (never within REFERENCE_EXCLUSION_FRAMES of `frame`), or the unwrapped
   * texture drawn on the frame's geometry.
   */
  forFrame(p: FaceParams, frame: number, window: Float32Array): Uint8Array;
  /** Releases the crops it reads (those of loadReferenceSource come from a file). */
  close?(): void;
}

/**
 * The nearest training crop by parameters, or (k > 1) the mean of the k nearest; with
 * `faceOnly`, head pose (the vector's first 6 entries) plays no part in the choice.
 */
export function referenceSource(
  trainFrames: readonly number[],
  paramsOf: (g: number) => FaceParams,
  frame: (g: number) => Uint8Array,
  k = 1,
  faceOnly = false,
  trainingExclusion = REFERENCE_EXCLUSION_FRAMES,
): ReferenceSource {
  const key = (p: FaceParams, out: Float32Array<ArrayBuffer> = new Float32Array(PARAM_VECTOR_LENGTH)) => {
    const v = paramVector(p, out);
    if (faceOnly) v.fill(0, 0, POSE_ENTRIES);
    return v;
  };
  const index = new ReferenceIndex(trainFrames, trainFrames.map((g) => key(paramsOf(g))));
  const query = new Float32Array(PARAM_VECTOR_LENGTH);
  const exclusion = exclusionFor(trainFrames, trainingExclusion);
  if (k === 1) return { forFrame: (p, f) => frame(index.nearestK(key(p, query), f, 1, exclusion(f))[0]!) };
  const mean = new Uint8Array(frame(trainFrames[0]!).length);
  return { forFrame: (p, f) => meanOfImages(index.nearestK(key(p, query), f, k, exclusion(f)).map(frame), mean) };
}

/** The reference index's exclusion for frame f: trainingExclusion for a training frame, REFERENCE_EXCLUSION_FRAMES for any other. */
function exclusionFor(trainFrames: readonly number[], trainingExclusion: number): (f: number) => number {
  if (trainingExclusion === REFERENCE_EXCLUSION_FRAMES) return () => REFERENCE_EXCLUSION_FRAMES;
  const training = new Set(trainFrames);
  return (f) => (training.has(f) ? trainingExclusion : REFERENCE_EXCLUSION_FRAMES);
}

/** Temporal blocks of the training frames for the unwrapped texture (see texture.ts). */
export const TEXTURE_BLOCKS = 4;
/** At most this many training frames go into the texture (evenly spaced): ~2 s to build at 128 px (franck, 1,080 training frames, this machine). */
export const TEXTURE_MAX_FRAMES = 400;
/** Memory for the local-texture mode's per-frame textures: at most this many bytes (64 MiB: 1,024 frames at 128 px). */
export const LOCAL_TEXTURE_BYTES = 64 * 2 ** 20;
/**
 * local-texture: the nearest training frames by parameters blended into the texture, and the
 * global texture counted as this many crop pixels per texel. Chosen on franck and cap12
 * (held-out face PSNR of the drawing alone, issue 14): 16 frames, weight 1.
 */
export const LOCAL_TEXTURE_FRAMES = 16;
export const LOCAL_TEXTURE_BASE_WEIGHT = 1;
/**
 * local-texture-posed: outside the face, the mean of this many training crops nearest in head
 * pose (probe on franck's held-out frames, issue 14: 16 such crops +0.32 dB over the mean crop there).
 */
export const POSED_BACKGROUND_FRAMES = 16;

export interface TextureSourceOptions extends Pick<DatasetOptions, 'signal' | 'onProgress'> {
  /**
   * With the tracked parameters of the training frames, a frame's texture is local: the
   * LOCAL_TEXTURE_FRAMES training frames nearest to its parameters (under the reference
   * exclusion) blended over the global texture (reference = local-texture).
   */
  paramsOf?: (g: number) => FaceParams;
  /** memory for the per-frame textures (LOCAL_TEXTURE_BYTES) */
  localBytes?: number;
  /** With paramsOf: forFrame draws the local texture (true, the default) or the average (drawLocal kept for other uses). */
  localInput?: boolean;
  /**
   * With paramsOf: outside the face the local drawing shows the mean of the
   * POSED_BACKGROUND_FRAMES training crops nearest in head pose (under the reference
   * exclusion), not the mean crop (reference = local-texture-posed).
   */
  posedBackground?: boolean;
  /** The local draws' exclusion for training frames (REFERENCE_EXCLUSION_FRAMES when absent). */
  trainingExclusion?: number;
}

/**
 * The unwrapped-texture reference: training crops averaged in the face model's surface
 * coordinates (through each frame's own correspondence image), drawn onto the correspondence
 * image of the frame being rendered (the newest of its window). A training frame gets the
 * texture without its own temporal block; any other frame (held out, or not a training
 * frame) the texture of all of them. With opts.paramsOf, the local texture of the parameters
 * the frame is rendered with (so an expression edit draws that expression's appearance).
 */
export async function textureSource(
  trainFrames: readonly number[],
  frame: (g: number) => Uint8Array,
  render: (g: number, out: Float32Array) => Float32Array,
  size: number,
  opts: TextureSourceOptions = {},
): Promise<TextureSource> {
  const blocks = Math.min(TEXTURE_BLOCKS, trainFrames.length);
  const blockAt = (i: number) => Math.min(blocks - 1, Math.floor((i * blocks) / trainFrames.length));
  const builder = new TextureBuilder(size, size, blocks);
  const cond = new Float32Array(size * size * CHANNELS_PER_FRAME);
  const step = Math.max(1, Math.ceil(trainFrames.length / TEXTURE_MAX_FRAMES));
  // Local textures keep one per frame of an evenly spaced subset as large as the memory allows.
  const localStep = opts.paramsOf ? Math.max(1, Math.ceil((trainFrames.length * size * size * 4) / (opts.localBytes ?? LOCAL_TEXTURE_BYTES))) : 0;
  const localFrames = localStep ? trainFrames.filter((_, i) => i % localStep === 0) : [];
  const local = localStep ? new LocalTextures(size, size, localFrames.length) : null;
  const used = (i: number) => i % step === 0 || (local !== null && i % localStep === 0);
  let total = 0;
  for (let i = 0; i < trainFrames.length; i++) if (used(i)) total++;
  for (let i = 0, done = 0; i < trainFrames.length; i++) {
    if (!used(i)) continue;
    if (opts.signal?.aborted) throw new PortraitError('CANCELLED', 'Cancelled');
    const g = trainFrames[i]!;
    const corr = { data: render(g, cond), stride: CHANNELS_PER_FRAME, offset: CORRESPONDENCE_OFFSET };
    if (i % step === 0) builder.add(blockAt(i), frame(g), corr);
    if (local && i % localStep === 0) local.set(i / localStep, frame(g), corr);
    if (++done % 24 === 0) {
      opts.onProgress?.(done, total, 'Unwrapping the actor\'s texture');
      // Let a cancel or a status request through between batches.
      await new Promise<void>((r) => setImmediate(r));
    }
  }
  const sampler = builder.finish();
  const position = new Map(trainFrames.map((g, i) => [g, i]));
  const blockOf = (f: number) => {
    const i = position.get(f);
    return i === undefined ? -1 : blockAt(i);
  };
  const draw = (f: number, corr: CorrespondenceView, out: Uint8Array) => sampler.draw(blockOf(f), corr, out);
  let drawLocal: TextureSource['drawLocal'] = null;
  if (local && opts.paramsOf) {
    const slotOf = new Map(localFrames.map((g, s) => [g, s]));
    const index = new ReferenceIndex(localFrames, localFrames.map((g) => paramVector(opts.paramsOf!(g))));
    const query = new Float32Array(PARAM_VECTOR_LENGTH);
    const blended = new Float32Array(size * size * 3);
    const exclusion = exclusionFor(trainFrames, opts.trainingExclusion ?? REFERENCE_EXCLUSION_FRAMES);
    const posed = opts.posedBackground ? posedBackground(trainFrames, opts.paramsOf, frame, size) : null;
    drawLocal = (f, p, corr, out) => {
      const block = blockOf(f);
      const slots = index.nearestK(paramVector(p, query), f, LOCAL_TEXTURE_FRAMES, exclusion(f)).map((g) => slotOf.get(g)!);
      const texture = local.blend(slots, sampler.images(block).texture, LOCAL_TEXTURE_BASE_WEIGHT, blended);
      return posed ? sampler.drawWith(texture, block, corr, out, posed(f, p, exclusion(f))) : sampler.drawWith(texture, block, corr, out);
    };
  }
  const out = new Uint8Array(size * size * 3);
  const newest = (WINDOW_FRAMES - 1) * CHANNELS_PER_FRAME + CORRESPONDENCE_OFFSET;
  const view = (window: Float32Array): CorrespondenceView => ({ data: window, stride: WINDOW_CHANNELS, offset: newest });
  const forFrame: ReferenceSource['forFrame'] = drawLocal && opts.localInput !== false
    ? (p, f, window) => drawLocal!(f, p, view(window), out)
    : (_p, f, window) => draw(f, view(window), out);
  return { draw, drawLocal, forFrame, posedBackground: opts.posedBackground === true && drawLocal !== null };
}

/** The mean of the training crops nearest to p in head pose (never within `exclusion` frames of frame f). */
function posedBackground(
  trainFrames: readonly number[],
  paramsOf: (g: number) => FaceParams,
  frame: (g: number) => Uint8Array,
  size: number,
): (f: number, p: FaceParams, exclusion: number) => Uint8Array {
  const key = (p: FaceParams, out: Float32Array<ArrayBuffer> = new Float32Array(PARAM_VECTOR_LENGTH)) => paramVector(p, out).fill(0, POSE_ENTRIES);
  const index = new ReferenceIndex(trainFrames, trainFrames.map((g) => key(paramsOf(g))));
  const query = new Float32Array(PARAM_VECTOR_LENGTH);
  const mean = new Uint8Array(size * size * 3);
  return (f, p, exclusion) => meanOfImages(index.nearestK(key(p, query), f, POSED_BACKGROUND_FRAMES, exclusion).map(frame), mean);
}

/** The unwrapped-texture reference, which can also draw onto a frame's own conditioning image. */
export interface TextureSource extends ReferenceSource {
  /** out (RGB8) <- frame f drawn with the texture (f's block left out when it is a training frame) on `corr` */
  draw(f: number, corr: CorrespondenceView, out: Uint8Array): Uint8Array;
  /** draw() with the local texture of parameters p; null unless built with paramsOf */
  drawLocal: ((f: number, p: FaceParams, corr: CorrespondenceView, out: Uint8Array) => Uint8Array) | null;
  /** drawLocal shows the training crops nearest in head pose outside the face, not the mean crop */
  posedBackground: boolean;
}

/** Offset of the correspondence image within a frame's 9 conditioning channels (after color). */
export const CORRESPONDENCE_OFFSET = 3;

/** paramVector's head-pose entries: yaw, pitch, roll, tx, ty, tz. */
const POSE_ENTRIES = 6;

/**
 * The reference source of a trained project as rendering needs it: the same training frames
 * (tracked, before the held-out tail) and crops the dataset trains with, from the cache.
 */
export async function loadReferenceSource(dir: string, project: ProjectFile, mode: Exclude<ReferenceMode, 'none'>, opts: DatasetOptions): Promise<ReferenceSource> {
  return (await loadDataset(dir, project, { ...opts, reference: mode })).reference!;
}

/** Cropped, resized target frames: decoded once into cache/ (deletable), then read frame by frame. */
async function cropReader(
  dir: string,
  videoPath: string,
  sha: string,
  fps: number,
  n: number,
  crops: CropBox[],
  size: number,
  opts: DatasetOptions,
): Promise<CropReader> {
  const cropKey = hashCrops(crops);
  const file = join(dir, 'cache', `frames-${sha.slice(0, 12)}-${cropKey}-${size}.rgb`);
  const frameBytes = size * size * 3;
  // A cache of the wrong length (a torn copy, another frame count) is rebuilt, not trusted.
  const cached = CropReader.open(file, n, frameBytes);
  if (cached) return cached;
  await makeDir(join(dir, 'cache'));
  const scratch = new Uint8Array(frameBytes);
  const build = writeCropFile(file, n, frameBytes, async (write) => {
    // Frames the video cannot deliver repeat the last good one (never trained on: no face status).
    for await (const fr of decodeFrames(videoPath, { fps, ...(opts.signal ? { signal: opts.signal } : {}) })) {
      if (fr.index >= n) break;
      cropResize(fr.data, fr.width, fr.height, crops[fr.index]!, size, scratch);
      await write(fr.index, scratch);
      const count = fr.index + 1;
      if (count % 24 === 0) opts.onProgress?.(count, n, 'Preparing training frames');
    }
  });
  await build.catch((e: NodeJS.ErrnoException) => {
    if (e.code === 'ENOSPC') {
      throw new PortraitError('DISK_FULL', `Not enough disk space for the training crops (${Math.ceil((n * frameBytes) / 2 ** 20)} MiB in ${join(dir, 'cache')}): free some space and start again.`);
    }
    throw e;
  });
  const reader = CropReader.open(file, n, frameBytes);
  if (!reader) throw new PortraitError('PROJECT_CORRUPT', `The training crop cache ${file} could not be read back after it was written; check the disk and free space, then start again.`);
  return reader;
}

function hashCrops(crops: CropBox[]): string {
  let h = 2166136261;
  for (const c of crops) for (const v of [c.x, c.y, c.size]) {
    h ^= Math.round(v * 100);
    h = Math.imul(h, 16777619) >>> 0;
  }
  return h.toString(16);
}
