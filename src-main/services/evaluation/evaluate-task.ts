/**
 * The evaluation task (worker thread): synthesize the chosen frames with a checkpoint and
 * measure them as the field does, beside predictors that use no network, on the same frames
 * in the same run. Pixels on every frame; identity, re-tracked control and edits on an evenly
 * spaced subset (they need the face detector, the slow part).
 */
// The tfjs umbrella registers every gradient function with the shared tfjs-core engine.
import '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import { neutralParams, type FaceParams } from '../../../src-shared/face/index.js';
import { emptyEdits, evaluate, tracksFromParams, type TimelineDoc } from '../../../src-shared/timeline/index.js';
import { FaceConditioning, FrameCache, WindowAssembler, CHANNELS_PER_FRAME, frameImageToRgb8, type CorrespondenceView } from '../../../src-shared/conditioning/index.js';
import { tileGrid } from '../../../src-shared/image/strip.js';
import { encodePng } from '../../fs/png.js';
import { featherMask, pasteCrop } from '../../../src-shared/image/crop.js';
import { psnr } from '../../../src-shared/image/quality/psnr.js';
import { ssim } from '../../../src-shared/image/quality/ssim.js';
import { sharpnessRatio } from '../../../src-shared/image/quality/sharpness.js';
import { flickerRatio } from '../../../src-shared/image/quality/flicker.js';
import { maskFromConditioning } from '../../../src-shared/image/quality/mask.js';
import { meanImage, nearestImage, nearestVector, paramVector } from '../../../src-shared/evaluation/retrieval.js';
import { EDITS, requestedChange } from '../../../src-shared/evaluation/edits.js';
import { summarizeControls, type FrameControlError } from '../../../src-shared/evaluation/control-summary.js';
import type { ControlFigures, EditFigures, EditMeasure, EvaluationReport, EvaluationRequest, ImageFigures } from '../../../src-shared/evaluation/schema.js';
import { controlError } from '../../../src-shared/evaluation/control-error.js';
import { createGenerator } from '../../net/model/generator-runner.js';
import { deserializeCheckpoint } from '../../net/checkpoint/checkpoint.js';
import { readProjectFile } from '../project/project-store.js';
import { loadPerformance } from '../timeline/performance.js';
import { CORRESPONDENCE_OFFSET, loadDataset, NetworkInput, textureSource, type TextureSource } from '../training/dataset.js';
import { listCheckpoints, trainingPaths } from '../training/training-files.js';
import { decodeFrames } from '../video/decode.js';
import type { WorkerTaskContext } from '../workers/run-in-worker.js';
import { FaceEmbedder, cosineSimilarity } from './identity.js';
import { Retracker } from './retrack.js';
import { networkToRgb8 } from '../../../src-shared/image/network-range.js';

export type EvaluateArgs = EvaluationRequest;

const PREDICTORS = ['model', 'meanCrop', 'nearestParams', 'oracleRetrieval', 'texturedModel', 'localTexturedModel'] as const;
type Predictor = (typeof PREDICTORS)[number];

interface Accumulator {
  psnr: number[];
  psnrMask: number[];
  ssim: number[];
  ssimMask: number[];
  sharpness: number[];
  /** Outputs kept in frame order for the flicker figure. */
  images: Uint8Array[];
  identity: number[];
}

const mean = (xs: number[]) => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
/** JSON and the contract carry no NaN/Infinity: a figure that cannot be measured is null. */
const finite = (x: number): number | null => (Number.isFinite(x) ? x : null);
function median(xs: number[]): number | null {
  if (!xs.length) return null;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

/** Evenly spaced subset of at most k items, first and last included. */
export function spaced<T>(xs: readonly T[], k: number): T[] {
  if (xs.length <= k) return [...xs];
  if (k <= 1) return [xs[0]!];
  return Array.from({ length: k }, (_, i) => xs[Math.round((i * (xs.length - 1)) / (k - 1))]!);
}

export async function evaluateTask(args: EvaluateArgs, ctx: WorkerTaskContext): Promise<EvaluationReport> {
  const t0 = performance.now();
  const notes: string[] = [];
  const { project } = await readProjectFile(args.dir);
  const target = project.media.target;
  if (!target) throw new PortraitError('BAD_REQUEST', 'The project has no target video: import and track one, then train.');

  ctx.progress(0, 1, 'Loading the checkpoint');
  const ckptFile = await checkpointFile(args.dir, args.snapshot);
  // The generator alone: the checkpoint (discriminator, Adam moments) is not kept.
  const net = await createGenerator(deserializeCheckpoint(await fs.readFile(ckptFile)));
  const size = net.profile.resolution;
  const embedder = args.identity === false ? null : await FaceEmbedder.create();
  let retracker: Retracker | null = null;
  let closeDataset: (() => void) | null = null;
  try {
    const ds = await loadDataset(args.dir, project, {
      size,
      holdout: project.settings.holdoutFraction,
      reference: net.profile.reference,
      // the local textured model below reuses the network's own unwrapping
      localTextures: true,
      signal: ctx.signal,
      onProgress: (d, t, s) => ctx.progress(d, t, s),
    });
    closeDataset = () => ds.close();
    const perf = await loadPerformance(args.dir, project);
    const selection = args.frames ?? 'held-out';
    const trainSet = new Set(ds.trainFrames);
    let frames: number[];
    let skipped = 0;
    if (selection === 'held-out') frames = ds.heldOutFrames;
    else {
      const end = Math.min(selection.end, ds.frameCount - 1);
      if (selection.start > end) throw new PortraitError('BAD_REQUEST', `Empty frame range ${selection.start}:${selection.end} (the video has ${ds.frameCount} frames).`);
      frames = [];
      for (let f = selection.start; f <= end; f++) {
        if (perf.tracked[f]) frames.push(f);
        else skipped++;
      }
    }
    if (!frames.length) throw new PortraitError('BAD_REQUEST', 'None of the chosen frames has a tracked face to evaluate.');
    const includesTrainingFrames = frames.some((f) => trainSet.has(f));
    if (includesTrainingFrames) notes.push('Some evaluated frames were training frames: the figures are not held-out figures, and the oracle baseline can return the frame itself.');

    // Baselines that use no network, computed from the training frames only.
    const trainImages = ds.trainFrames.map((f) => ds.frame(f));
    const trainVectors = ds.trainFrames.map((f) => paramVector(perf.tracked[f]!));
    const meanCrop = meanImage(trainImages);
    // The network's own texture reference when it kept the per-frame textures over the mean crop (the same frames and renders), else built here.
    const own = ds.reference && 'drawLocal' in ds.reference ? (ds.reference as TextureSource) : null;
    const textured = own?.drawLocal && !own.posedBackground
      ? own
      : await textureSource(ds.trainFrames, ds.frame, ds.conditioning, size, { signal: ctx.signal, onProgress: (d, t, s) => ctx.progress(d, t, s), paramsOf: (g) => perf.tracked[g]! });

    const acc = Object.fromEntries(PREDICTORS.map((p) => [p, { psnr: [], psnrMask: [], ssim: [], ssimMask: [], sharpness: [], images: [], identity: [] } satisfies Accumulator])) as unknown as Record<Predictor, Accumulator>;
    const masks: Uint8Array[] = [];
    const reals: Uint8Array[] = [];
    const win = new Float32Array(ds.inputLength);
    const cond = new Float32Array(size * size * CHANNELS_PER_FRAME);
    const outputs = new Map<number, Uint8Array>();
    const chosen = new Map<number, Record<Exclude<Predictor, 'model'>, Uint8Array>>();
    for (let i = 0; i < frames.length; i++) {
      if (ctx.signal.aborted) throw new PortraitError('CANCELLED', 'Evaluation was cancelled');
      const f = frames[i]!;
      const real = ds.frame(f);
      const mask = maskFromConditioning(ds.conditioning(f, cond), size);
      const out = networkToRgb8(net.predict(ds.window(f, win)));
      outputs.set(f, out);
      const nearest = trainImages[nearestVector(trainVectors, paramVector(perf.tracked[f]!))]!;
      const oracle = trainImages[nearestImage(trainImages, real)]!;
      // Drawn on the frame's own conditioning (cond, just rendered for the mask); a fresh copy per frame.
      const corr = { data: cond, stride: CHANNELS_PER_FRAME, offset: CORRESPONDENCE_OFFSET };
      const texturedModel = textured.draw(f, corr, new Uint8Array(size * size * 3));
      const localTexturedModel = textured.drawLocal!(f, perf.tracked[f]!, corr, new Uint8Array(size * size * 3));
      const baselines = { meanCrop, nearestParams: nearest, oracleRetrieval: oracle, texturedModel, localTexturedModel };
      const preds: Record<Predictor, Uint8Array> = { model: out, ...baselines };
      chosen.set(f, baselines);
      for (const p of PREDICTORS) {
        const a = acc[p];
        const img = preds[p];
        a.psnr.push(psnr(img, real));
        a.psnrMask.push(psnr(img, real, mask));
        a.ssim.push(ssim(img, real, size, size));
        a.ssimMask.push(ssim(img, real, size, size, mask));
        a.sharpness.push(sharpnessRatio(img, real, size, size, mask));
        a.images.push(img);
      }
      masks.push(mask);
      reals.push(real);
      ctx.progress(i + 1, frames.length, 'Synthesizing and measuring frames');
    }

    const stripRows = spaced(frames, 4).map((f) => {
      const condRgb = frameImageToRgb8(ds.conditioning(f, cond), size, size, 'color');
      return [condRgb, outputs.get(f)!, chosen.get(f)!.texturedModel, chosen.get(f)!.nearestParams, ds.frame(f)];
    });
    const grid = tileGrid(stripRows, size);
    const strip = `data:image/png;base64,${encodePng(grid.rgb, grid.width, grid.height, 3).toString('base64')}`;

    const maxControl = args.maxControlFrames ?? 60;
    const controlFrames = spaced(frames, maxControl);
    let identityRealReference: number | null = null;
    if (embedder) {
      const refSims: number[] = [];
      const secondAway = Math.max(1, Math.round(perf.fps));
      for (let i = 0; i < controlFrames.length; i++) {
        if (ctx.signal.aborted) throw new PortraitError('CANCELLED', 'Evaluation was cancelled');
        const f = controlFrames[i]!;
        const real = ds.frame(f);
        const eReal = await embedder.embed(real, size, size);
        if (!eReal) continue;
        const other = f + secondAway < ds.frameCount && perf.tracked[f + secondAway] ? f + secondAway : f - secondAway;
        if (other >= 0 && perf.tracked[other]) {
          const eOther = await embedder.embed(ds.frame(other), size, size);
          if (eOther) refSims.push(cosineSimilarity(eReal, eOther));
        }
        const c = chosen.get(f)!;
        const imgs: Record<Predictor, Uint8Array> = { model: outputs.get(f)!, ...c };
        for (const p of PREDICTORS) {
          const e = await embedder.embed(imgs[p], size, size);
          if (e) acc[p].identity.push(cosineSimilarity(eReal, e));
        }
        ctx.progress(i + 1, controlFrames.length, 'Comparing identity');
      }
      identityRealReference = refSims.length ? mean(refSims) : null;
      if (!refSims.length) notes.push('The identity model found no face in the real crops: identity is not measured.');
    } else notes.push('Identity was not measured (identity: false).');

    let control: ControlFigures | null = null;
    let controlRealReference: ControlFigures | null = null;
    let edits: EditFigures[] | null = null;
    const wantControl = args.control !== false;
    const wantEdits = args.edits !== false;
    if (wantControl || wantEdits) {
      retracker = await Retracker.create(perf.actor, perf.camera);
      const editFrames = wantEdits ? spaced(frames, args.editFrames ?? 6) : [];
      const needFull = [...new Set([...(wantControl ? controlFrames : []), ...editFrames])].sort((a, b) => a - b);
      const full = await fullFrames(target.path, target.probe.fps, needFull, ctx.signal);
      const feather = featherMask(size);
      const composite = (f: number, crop: Uint8Array) => {
        const fr = full.get(f)!;
        const rgb = new Uint8Array(fr.rgb);
        pasteCrop(rgb, fr.width, fr.height, perf.crops[f]!, crop, size, feather);
        return { rgb, width: fr.width, height: fr.height };
      };
      const retrack = async (img: { rgb: Uint8Array; width: number; height: number }) => (await retracker!.track(img.rgb, img.width, img.height))?.params ?? null;

      const unedited = new Map<number, FaceParams | null>();
      if (wantControl) {
        const model: FrameControlError[] = [];
        const realRef: FrameControlError[] = [];
        let lost = 0;
        let lostReal = 0;
        for (let i = 0; i < controlFrames.length; i++) {
          if (ctx.signal.aborted) throw new PortraitError('CANCELLED', 'Evaluation was cancelled');
          const f = controlFrames[i]!;
          const requested = perf.tracked[f]!;
          const m = await retrack(composite(f, outputs.get(f)!));
          unedited.set(f, m);
          if (m) model.push(controlError(m, requested, perf.actor, perf.camera));
          else lost++;
          const fr = full.get(f)!;
          const r = await retrack(fr);
          if (r) realRef.push(controlError(r, requested, perf.actor, perf.camera));
          else lostReal++;
          ctx.progress(i + 1, controlFrames.length, 'Re-tracking synthesized frames');
        }
        control = summarizeControls(model, controlFrames.length, lost);
        controlRealReference = summarizeControls(realRef, controlFrames.length, lostReal);
      }
      if (wantEdits) {
        edits = await measureEdits({
          frames: editFrames,
          perf,
          size,
          input: new NetworkInput(size, ds.reference),
          predict: (w) => networkToRgb8(net.predict(w)),
          unedited: async (f) => {
            if (!unedited.has(f)) unedited.set(f, await retrack(composite(f, outputs.get(f) ?? networkToRgb8(net.predict(ds.window(f, win))))));
            return unedited.get(f)!;
          },
          retrackCrop: (f, crop) => retrack(composite(f, crop)),
          drawLocal: (f, p, corr) => textured.drawLocal!(f, p, corr, new Uint8Array(size * size * 3)),
          signal: ctx.signal,
          progress: (d, t) => ctx.progress(d, t, 'Measuring edits'),
        });
      }
    } else notes.push('Control and edits were not measured (control: false, edits: false).');

    const figures = (p: Predictor): ImageFigures => {
      const a = acc[p];
      return {
        psnr: finite(mean(a.psnr)),
        psnrMask: finite(mean(a.psnrMask)),
        ssim: finite(mean(a.ssim)),
        ssimMask: finite(mean(a.ssimMask)),
        // Frames where the real crop is flat give an infinite ratio: left out of the mean.
        sharpness: finite(mean(a.sharpness.filter(Number.isFinite))),
        flicker: a.images.length > 1 ? finite(flickerRatio(a.images, reals, masks)) : null,
        identity: a.identity.length ? finite(mean(a.identity)) : null,
        identityFrames: a.identity.length,
      };
    };
    return {
      version: 1,
      createdAt: new Date().toISOString(),
      checkpoint: { snapshot: args.snapshot ?? null, step: net.step, profile: net.profile.name, resolution: size },
      frames: { selection, evaluated: frames.length, skipped, controlFrames: embedder || wantControl ? controlFrames.length : 0, includesTrainingFrames },
      model: figures('model'),
      baselines: { meanCrop: figures('meanCrop'), nearestParams: figures('nearestParams'), oracleRetrieval: figures('oracleRetrieval'), texturedModel: figures('texturedModel'), localTexturedModel: figures('localTexturedModel') },
      control,
      controlRealReference,
      identityRealReference: identityRealReference === null ? null : finite(identityRealReference),
      edits,
      strip,
      seconds: (performance.now() - t0) / 1000,
      notes,
    };
  } finally {
    closeDataset?.();
    net.dispose();
    embedder?.dispose();
    retracker?.dispose();
  }
}

async function checkpointFile(dir: string, snapshot: string | undefined): Promise<string> {
  if (snapshot) {
    const file = join(trainingPaths(dir).snapshots, `${snapshot}.ckpt`);
    if (!(await fs.access(file).then(() => true, () => false))) throw new PortraitError('FILE_NOT_FOUND', `No snapshot named "${snapshot}" in this project.`);
    return file;
  }
  const all = await listCheckpoints(dir);
  const latest = all[all.length - 1];
  if (!latest) throw new PortraitError('BAD_REQUEST', 'Train the target actor first: this project has no checkpoint to evaluate.');
  return latest.file;
}

/** The full frames `wanted` (sorted), decoded in one pass from the first to the last. */
async function fullFrames(path: string, fps: number, wanted: number[], signal: AbortSignal): Promise<Map<number, { rgb: Uint8Array; width: number; height: number }>> {
  const out = new Map<number, { rgb: Uint8Array; width: number; height: number }>();
  if (!wanted.length) return out;
  const need = new Set(wanted);
  const first = wanted[0]!;
  const last = wanted[wanted.length - 1]!;
  for await (const fr of decodeFrames(path, { start: first, count: last - first + 1, fps, signal })) {
    if (need.has(fr.index)) out.set(fr.index, { rgb: fr.data, width: fr.width, height: fr.height });
    if (fr.index >= last) break;
  }
  for (const f of wanted) if (!out.has(f)) throw new PortraitError('CORRUPT_MEDIA', `Frame ${f} of the target video could not be decoded for re-tracking.`);
  return out;
}

interface EditContext {
  frames: number[];
  perf: Awaited<ReturnType<typeof loadPerformance>>;
  size: number;
  predict(window: Float32Array): Uint8Array;
  unedited(f: number): Promise<FaceParams | null>;
  retrackCrop(f: number, crop: Uint8Array): Promise<FaceParams | null>;
  /** The local textured model of frame f drawn with parameters p on the correspondence image `corr` (a fresh image). */
  drawLocal(f: number, p: FaceParams, corr: CorrespondenceView): Uint8Array;
  /** the window, and the reference for the edited parameters when the network takes one */
  input: NetworkInput;
  signal: AbortSignal;
  progress(done: number, total: number): void;
}

/**
 * Each edit is applied to every frame of the conditioning window (as an edit layer over a
 * span would), the output re-tracked, and the change measured against the re-tracked
 * unedited output of the same frame, so the tracker's bias on this actor cancels out. The
 * local textured model is measured the same way: its drawing with the edited parameters on the
 * edited geometry against its drawing of the unedited frame.
 */
async function measureEdits(c: EditContext): Promise<EditFigures[]> {
  const { perf, size } = c;
  const doc: TimelineDoc = { base: tracksFromParams(perf.fps, perf.tracked), edits: emptyEdits() };
  const fc = new FaceConditioning(perf.actor, perf.camera, size);
  const scratch = neutralParams();
  const win = new Float32Array(c.input.length);
  const cond = new Float32Array(size * size * CHANNELS_PER_FRAME);
  const corr = { data: cond, stride: CHANNELS_PER_FRAME, offset: CORRESPONDENCE_OFFSET };
  const drawn = (f: number, p: FaceParams) => {
    fc.render(p, perf.crops[f]!, cond);
    return c.drawLocal(f, p, corr);
  };
  const uneditedDrawing = new Map<number, FaceParams | null>();
  const results: EditFigures[] = [];
  let done = 0;
  const total = EDITS.length * c.frames.length;
  for (const spec of EDITS) {
    const cache = new FrameCache(16, size * size * CHANNELS_PER_FRAME);
    const assembler = new WindowAssembler(size, size, cache, (g, out) => {
      evaluate(doc, g, scratch);
      spec.apply(scratch);
      fc.render(scratch, perf.crops[g]!, out);
    });
    const requested: number[] = [];
    const measured: number[] = [];
    const measuredDrawing: number[] = [];
    let lost = 0;
    let lostDrawing = 0;
    let skipped = 0;
    for (const f of c.frames) {
      if (c.signal.aborted) throw new PortraitError('CANCELLED', 'Evaluation was cancelled');
      const base = evaluate(doc, f, neutralParams());
      const edited = evaluate(doc, f, neutralParams());
      spec.apply(edited);
      const asked = requestedChange(spec, base, edited);
      if (Math.abs(asked) < 0.25 * Math.abs(spec.requested)) {
        skipped++;
        c.progress(++done, total);
        continue;
      }
      requested.push(asked);
      const m0 = await c.unedited(f);
      const m1 = await c.retrackCrop(f, c.predict(c.input.build(f, (w) => assembler.assemble(f, spec.id, w), () => edited, win)));
      if (m0 && m1) measured.push(spec.measure(m1) - spec.measure(m0));
      else lost++;
      if (!uneditedDrawing.has(f)) uneditedDrawing.set(f, await c.retrackCrop(f, drawn(f, base)));
      const d0 = uneditedDrawing.get(f)!;
      const d1 = await c.retrackCrop(f, drawn(f, edited));
      if (d0 && d1) measuredDrawing.push(spec.measure(d1) - spec.measure(d0));
      else lostDrawing++;
      c.progress(++done, total);
    }
    results.push({
      id: spec.id,
      label: spec.label,
      quantity: spec.quantity,
      unit: spec.unit,
      requested: median(requested) ?? 0,
      ...editMeasure(measured, lost),
      frames: c.frames.length,
      skipped,
      localTexturedModel: editMeasure(measuredDrawing, lostDrawing),
    });
  }
  return results;
}

function editMeasure(measured: number[], lost: number): EditMeasure {
  return {
    measuredMedian: median(measured),
    measuredMin: measured.length ? Math.min(...measured) : null,
    measuredMax: measured.length ? Math.max(...measured) : null,
    lost,
  };
}

