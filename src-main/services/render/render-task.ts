/**
 * The final cut (worker thread): for each frame of the range, evaluate the edited
 * performance, render its conditioning window, run the generator (one frame per pass), paste the
 * synthesized crop back into the original frame through a feathered mask (with colour
 * matching at the seam) and stream the frames into ffmpeg. Written to a temporary name
 * and renamed when complete; a cancel or a failure removes the partial output.
 */
import '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import { basename, dirname, extname, join } from 'node:path';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import type { RenderRequest, RenderResult } from '../../../src-shared/ipc/contract.js';
import { neutralParams } from '../../../src-shared/face/index.js';
import { evaluate, parseEdits, sourceFrameShown } from '../../../src-shared/timeline/index.js';
import { FaceConditioning, FrameCache, WindowAssembler, CHANNELS_PER_FRAME, frameImageToRgb8, type CropBox } from '../../../src-shared/render/index.js';
import { cropResize, featherMask, pasteCrop } from '../../../src-shared/image/crop.js';
import { readProjectFile } from '../project/project-store.js';
import { loadPerformance } from '../performance/performance.js';
import { decodeFrames } from '../video/decode.js';
import { SequentialFrameReader } from '../video/frame-reader.js';
import { fitLetterbox } from '../../../src-shared/image/fit.js';
import { createGenerator } from '../../net/model/generator-runner.js';
import { audioProblem, defaultAudio } from '../../../src-shared/project/audio-choice.js';
import { loadReferenceSource, NetworkInput } from '../training/dataset.js';
import { deserializeCheckpoint } from '../../net/checkpoint/checkpoint.js';
import { listCheckpoints } from '../training/training-files.js';
import type { WorkerTaskContext } from '../workers/run-in-worker.js';
import { FrameEncoder } from './encoder.js';
import { checkOutputTarget, writePngMarker } from './output-target.js';
import { verifyRender } from './verify-output.js';
import { removeLeftovers } from '../../fs/leftovers.js';
import { makeDir } from '../../fs/make-dir.js';
import { codecSpec, defaultExtension } from '../../../src-shared/output/codecs.js';

export type RenderArgs = RenderRequest;

export async function renderTask(req: RenderArgs, ctx: WorkerTaskContext): Promise<RenderResult> {
  const t0 = Date.now();
  const { project } = await readProjectFile(req.dir);
  const target = project.media.target;
  if (!target) throw new PortraitError('BAD_REQUEST', 'The project has no target video.');
  const ckpts = await listCheckpoints(req.dir);
  const latest = ckpts[ckpts.length - 1];
  if (!latest) throw new PortraitError('BAD_REQUEST', 'Train the target actor before rendering: there is no checkpoint yet.');
  const perf = await loadPerformance(req.dir, project);
  const n = perf.frameCount;
  const start = req.range?.start ?? 0;
  const end = Math.min(n - 1, req.range?.end ?? n - 1);
  if (start > end) throw new PortraitError('BAD_REQUEST', `Empty range ${start}..${end} (the video has ${n} frames).`);
  const count = end - start + 1;
  const fps = perf.fps;

  // Output naming: never replace an existing file unless asked; write under a temporary name.
  const png = codecSpec(req.codec).kind === 'frames';
  // Checked again here (the job may have waited): never empty a folder the studio did not render.
  const { replaces: outExists } = await checkOutputTarget(req);
  // Partials of renders killed before they could clean up go now (only those of dead processes).
  await removeLeftovers(dirname(req.out));
  const partial = png ? `${req.out}.partial-${process.pid}` : join(dirname(req.out), `.${basename(req.out, extname(req.out))}.partial-${process.pid}${extname(req.out) || defaultExtension(req.codec)}`);
  await makeDir(png ? partial : dirname(req.out));

  ctx.progress(0, count, 'Loading the trained network');
  // The generator alone: the checkpoint (discriminator, Adam moments) is not kept.
  const net = await createGenerator(deserializeCheckpoint(await fs.readFile(latest.file)));
  let encoder: FrameEncoder | null = null;
  let sourceReader: SequentialFrameReader | null = null;
  let releaseReference = (): void => {};
  try {
    const res = net.profile.resolution;
    const fc = new FaceConditioning(perf.actor, perf.camera, res);
    const p = neutralParams();
    const cache = new FrameCache(32, res * res * CHANNELS_PER_FRAME);
    const assembler = new WindowAssembler(res, res, cache, (f, out) => fc.render(evaluate(perf.doc, f, p), perf.crops[f]!, out));
    const reference = net.profile.reference === 'none'
      ? null
      : await loadReferenceSource(req.dir, project, net.profile.reference, { size: res, holdout: project.settings.holdoutFraction, signal: ctx.signal });
    releaseReference = () => reference?.close?.();
    const input = new NetworkInput(res, reference);
    const mask = featherMask(res);

    const W = target.probe.displayWidth;
    const H = target.probe.displayHeight;
    const layout = req.layout;
    const outW = even(layout === 'full' ? W : layout === 'crop' ? res : 2 * W + H);
    const outH = even(layout === 'crop' ? res : H);

    const audio = await chooseAudio(req, project, start, count, fps);
    encoder = new FrameEncoder({
      width: outW,
      height: outH,
      fps,
      codec: req.codec,
      crf: req.crf,
      out: png ? join(partial, '%06d.png') : partial,
      audio: audio.track,
    });

    // Compare layout with the transfer on: the left picture is the source actor at the source
    // frame that drives this target frame (the transfer's timing), else the target's own frame.
    const source = project.media.source;
    if (layout === 'compare' && perf.transferred && source) sourceReader = new SequentialFrameReader(source.path, ctx.signal);
    const leftSlot = new Uint8Array(W * H * 3);
    const blitLeft = async (fr: { index: number; rgb: Uint8Array; width: number; height: number }) => {
      const si = sourceReader && source ? sourceFrameShown(fr.index, fps, source.probe.fps, source.probe.frameCount, perf.doc.edits.transfer) : null;
      if (si === null) return blit(outFrame, outW, fr.rgb, fr.width, fr.height, 0);
      const sf = await sourceReader!.frame(si);
      blit(outFrame, outW, fitLetterbox(sf.data, sf.width, sf.height, W, H, leftSlot), W, H, 0);
    };

    const win = new Float32Array(input.length);
    const cond = new Float32Array(res * res * 9);
    const origCrop = new Uint8Array(res * res * 3);
    const synth = new Uint8Array(res * res * 3);
    const outFrame = new Uint8Array(outW * outH * 3);
    let done = 0;

    // One frame per forward pass: BatchNorm uses batch statistics (as pix2pix does at test
    // time), so batching frames would make each output depend on its neighbours in the
    // batch; one at a time, a frame renders exactly as the studio's preview shows it.
    const renderFrame = async (fr: { index: number; rgb: Uint8Array; width: number; height: number }) => {
      if (ctx.signal.aborted) throw new PortraitError('CANCELLED', 'Rendering was cancelled');
      const box = perf.crops[fr.index]!;
      if (!perf.tracked[fr.index] && !req.fillMissingFaces) {
        // No usable face was tracked here: the original frame passes through untouched.
        outFrame.fill(0);
        if (layout === 'crop') blit(outFrame, outW, cropResize(fr.rgb, fr.width, fr.height, box, res), res, res, 0);
        else blit(outFrame, outW, fr.rgb, fr.width, fr.height, layout === 'compare' ? W + H : 0);
        if (layout === 'compare') await blitLeft(fr);
        await encoder!.write(outFrame);
        done++;
        return;
      }
      const pred = net.predict(input.build(fr.index, (w) => assembler.assemble(fr.index, 0, w), () => evaluate(perf.doc, fr.index, p), win));
      for (let j = 0; j < synth.length; j++) synth[j] = clamp8((pred[j]! + 1) * 127.5);
      if (req.colorMatch) {
        cropResize(fr.rgb, fr.width, fr.height, box, res, origCrop);
        matchSeam(synth, origCrop, mask);
      }
      outFrame.fill(0);
      if (layout === 'crop') blit(outFrame, outW, synth, res, res, 0);
      else {
        const composite = new Uint8Array(fr.rgb);
        pasteCrop(composite, fr.width, fr.height, box, synth, res, mask);
        if (layout === 'full') blit(outFrame, outW, composite, fr.width, fr.height, 0);
        else {
          await blitLeft(fr);
          fc.render(evaluate(perf.doc, fr.index, p), box, cond);
          const c8 = frameImageToRgb8(cond, res, res, 'color');
          blit(outFrame, outW, resizeNearest(c8, res, H), H, H, W);
          blit(outFrame, outW, composite, fr.width, fr.height, W + H);
        }
      }
      await encoder!.write(outFrame);
      done++;
    };

    ctx.progress(0, count, 'Rendering');
    for await (const fr of decodeFrames(target.path, { start, count, fps, signal: ctx.signal })) {
      if (ctx.signal.aborted) break;
      await renderFrame({ index: fr.index, rgb: fr.data, width: fr.width, height: fr.height });
      ctx.progress(done, count, 'Rendering');
    }
    if (ctx.signal.aborted) throw new PortraitError('CANCELLED', 'Rendering was cancelled; the partial file was removed.');
    // A frame or two missing at the very end (rounding of the container duration) is tolerated; more is damage.
    if (done === 0 || count - done > 2) throw new PortraitError('CORRUPT_MEDIA', `Only ${done} of ${count} frames of the target could be decoded; nothing was written.`);
    ctx.progress(done, count, 'Finishing the file');
    await encoder.finish();
    encoder = null;
    ctx.progress(done, count, 'Checking the file');
    await verifyRender(partial, req.codec, done);
    if (png) {
      await writePngMarker(partial, done);
      // Only a folder checkOutputTarget proved to be an earlier render of ours is removed.
      if (outExists) await fs.rm(req.out, { recursive: true, force: true });
    }
    // A file is replaced atomically by the rename.
    await fs.rename(partial, req.out);
    return {
      file: req.out,
      frames: done,
      fps,
      width: outW,
      height: outH,
      audio: audio.used,
      seconds: (Date.now() - t0) / 1000,
      checkpointStep: net.step,
    };
  } catch (e) {
    await encoder?.abort();
    await fs.rm(partial, { recursive: true, force: true }).catch(() => {});
    throw e;
  } finally {
    releaseReference();
    await sourceReader?.close().catch(() => {});
    net.dispose();
  }
}

async function chooseAudio(req: RenderArgs, project: Awaited<ReturnType<typeof readProjectFile>>['project'], start: number, count: number, fps: number) {
  const durationSec = count / fps;
  const wanted = req.audio ?? defaultAudio(project.media, parseEdits(project.edits).transfer.enabled);
  if (wanted === 'none' || codecSpec(req.codec).audio === null) return { used: 'none' as const, track: null };
  const problem = audioProblem(project.media, wanted);
  if (problem) throw new PortraitError('BAD_REQUEST', problem, { field: 'audio' });
  const media = project.media[wanted]!;
  let at = start / fps;
  if (wanted === 'source') {
    // The source plays at target time timeOffsetSec from its trimIn frame (as in the transfer).
    const edits = project.edits as { transfer?: { timeOffsetSec?: number; trimIn?: number } };
    at = start / fps - (edits.transfer?.timeOffsetSec ?? 0) + (edits.transfer?.trimIn ?? 0) / media.probe.fps;
  }
  return {
    used: wanted,
    track: { path: media.path, startSec: Math.max(0, at), delaySec: Math.max(0, -at), durationSec },
  };
}

/** Shifts the synthesized crop's colour so its mean matches the original in the seam band. */
function matchSeam(synth: Uint8Array, orig: Uint8Array, mask: Float32Array): void {
  const sum = [0, 0, 0];
  let n = 0;
  for (let i = 0; i < mask.length; i++) {
    const m = mask[i]!;
    if (m <= 0.1 || m >= 0.9) continue;
    for (let c = 0; c < 3; c++) sum[c]! += orig[3 * i + c]! - synth[3 * i + c]!;
    n++;
  }
  if (!n) return;
  const shift = sum.map((s) => s / n);
  for (let i = 0; i < synth.length; i++) synth[i] = clamp8(synth[i]! + shift[i % 3]!);
}

function clamp8(v: number): number {
  return v < 0 ? 0 : v > 255 ? 255 : Math.round(v);
}

function even(x: number): number {
  return x + (x & 1);
}

function blit(dst: Uint8Array, dstW: number, src: Uint8Array, w: number, h: number, x0: number): void {
  for (let y = 0; y < h; y++) dst.set(src.subarray(y * w * 3, (y + 1) * w * 3), (y * dstW + x0) * 3);
}

function resizeNearest(src: Uint8Array, size: number, to: number): Uint8Array {
  const out = new Uint8Array(to * to * 3);
  for (let y = 0; y < to; y++) {
    const sy = Math.min(size - 1, Math.floor((y * size) / to));
    for (let x = 0; x < to; x++) {
      const sx = Math.min(size - 1, Math.floor((x * size) / to));
      out.set(src.subarray((sy * size + sx) * 3, (sy * size + sx) * 3 + 3), (y * to + x) * 3);
    }
  }
  return out;
}

export type { CropBox };
