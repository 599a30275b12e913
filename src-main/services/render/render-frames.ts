/**
 * The per-frame half of the final cut, shared by the one-machine render and a render farm's
 * chunks: for each target frame of a range, evaluate the edited performance, render its
 * conditioning window, run the generator (one frame per pass), paste the synthesized crop back
 * into the original frame through a feathered mask (with colour matching at the seam) and hand
 * the finished picture to a sink. Every frame depends only on its own index (the window renders
 * its past frames itself, the compare layout seeks its source frame), so a range split into
 * chunks renders the same pixels as the whole range in one pass.
 */
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import type { RenderRequest } from '../../../src-shared/ipc/contract.js';
import type { ProjectFile } from '../../../src-shared/project/schema.js';
import { neutralParams } from '../../../src-shared/face/index.js';
import { evaluate, sourceFrameShown } from '../../../src-shared/timeline/index.js';
import { FaceConditioning, FrameCache, WindowAssembler, CHANNELS_PER_FRAME, frameImageToRgb8 } from '../../../src-shared/conditioning/index.js';
import { cropResize, featherMask, pasteCrop } from '../../../src-shared/image/crop.js';
import { fitLetterbox } from '../../../src-shared/image/fit.js';
import type { Performance } from '../timeline/performance.js';
import { decodeFrames } from '../video/decode.js';
import { SequentialFrameReader } from '../video/frame-reader.js';
import type { GeneratorRunner } from '../../net/model/generator-runner.js';
import { loadReferenceSource, NetworkInput, type ReferenceSource } from '../training/dataset.js';
import { networkToRgb8 } from '../../../src-shared/image/network-range.js';

export type FrameOptions = Pick<RenderRequest, 'layout' | 'colorMatch' | 'fillMissingFaces'>;

export interface FrameRendererInit {
  dir: string;
  project: ProjectFile;
  perf: Performance;
  net: GeneratorRunner;
  options: FrameOptions;
  signal: AbortSignal;
}

export class FrameRenderer {
  readonly width: number;
  readonly height: number;

  private constructor(
    private readonly init: FrameRendererInit,
    private readonly input: NetworkInput,
    private readonly sourceReader: SequentialFrameReader | null,
    /** The reference crops (read from the crop cache file), released by close(). */
    private readonly reference: ReferenceSource | null,
  ) {
    const target = init.project.media.target!;
    const res = init.net.profile.resolution;
    const W = target.probe.displayWidth;
    const H = target.probe.displayHeight;
    const layout = init.options.layout;
    this.width = even(layout === 'full' ? W : layout === 'crop' ? res : 2 * W + H);
    this.height = even(layout === 'crop' ? res : H);
  }

  /** Loads what the frames need besides the network (the reference frames of profiles that use them). */
  static async create(init: FrameRendererInit): Promise<FrameRenderer> {
    const { dir, project, net, perf, signal } = init;
    if (!project.media.target) throw new PortraitError('BAD_REQUEST', 'The project has no target video.');
    const res = net.profile.resolution;
    const reference = net.profile.reference === 'none'
      ? null
      : await loadReferenceSource(dir, project, net.profile.reference, { size: res, holdout: project.settings.holdoutFraction, signal });
    // Compare layout with the transfer on: the left picture is the source actor at the source
    // frame that drives this target frame (the transfer's timing), else the target's own frame.
    const source = project.media.source;
    const reader = init.options.layout === 'compare' && perf.transferred && source ? new SequentialFrameReader(source.path, signal) : null;
    return new FrameRenderer(init, new NetworkInput(res, reference), reader, reference);
  }

  /**
   * Renders target frames start..start+count-1 into `sink` in order; returns how many frames
   * the target yielded (a frame or two short at the very end of a file is the caller's call).
   */
  async render(start: number, count: number, sink: (frame: Uint8Array) => Promise<void>, onFrame: (done: number) => void): Promise<number> {
    const { project, perf, net, options, signal } = this.init;
    const target = project.media.target!;
    const fps = perf.fps;
    const res = net.profile.resolution;
    const fc = new FaceConditioning(perf.actor, perf.camera, res);
    const p = neutralParams();
    const cache = new FrameCache(32, res * res * CHANNELS_PER_FRAME);
    const assembler = new WindowAssembler(res, res, cache, (f, out) => fc.render(evaluate(perf.doc, f, p), perf.crops[f]!, out));
    const mask = featherMask(res);
    const W = target.probe.displayWidth;
    const H = target.probe.displayHeight;
    const layout = options.layout;
    const outW = this.width;
    const outH = this.height;
    const source = project.media.source;
    const sourceReader = this.sourceReader;
    const leftSlot = new Uint8Array(W * H * 3);
    const win = new Float32Array(this.input.length);
    const cond = new Float32Array(res * res * 9);
    const origCrop = new Uint8Array(res * res * 3);
    const synth = new Uint8Array(res * res * 3);
    const outFrame = new Uint8Array(outW * outH * 3);
    const blitLeft = async (fr: { index: number; rgb: Uint8Array; width: number; height: number }) => {
      const si = sourceReader && source ? sourceFrameShown(fr.index, fps, source.probe.fps, source.probe.frameCount, perf.doc.edits.transfer) : null;
      if (si === null) return blit(outFrame, outW, fr.rgb, fr.width, fr.height, 0);
      const sf = await sourceReader!.frame(si);
      blit(outFrame, outW, fitLetterbox(sf.data, sf.width, sf.height, W, H, leftSlot), W, H, 0);
    };
    let done = 0;

    // One frame per forward pass: BatchNorm uses batch statistics (as pix2pix does at test
    // time), so batching frames would make each output depend on its neighbours in the
    // batch; one at a time, a frame renders exactly as the studio's preview shows it.
    const renderFrame = async (fr: { index: number; rgb: Uint8Array; width: number; height: number }) => {
      if (signal.aborted) throw new PortraitError('CANCELLED', 'Rendering was cancelled');
      const box = perf.crops[fr.index]!;
      if (!perf.tracked[fr.index] && !options.fillMissingFaces) {
        // No usable face was tracked here: the original frame passes through untouched.
        outFrame.fill(0);
        if (layout === 'crop') blit(outFrame, outW, cropResize(fr.rgb, fr.width, fr.height, box, res), res, res, 0);
        else blit(outFrame, outW, fr.rgb, fr.width, fr.height, layout === 'compare' ? W + H : 0);
        if (layout === 'compare') await blitLeft(fr);
        await sink(outFrame);
        done++;
        return;
      }
      const pred = net.predict(this.input.build(fr.index, (w) => assembler.assemble(fr.index, 0, w), () => evaluate(perf.doc, fr.index, p), win));
      networkToRgb8(pred, synth);
      if (options.colorMatch) {
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
      await sink(outFrame);
      done++;
    };

    for await (const fr of decodeFrames(target.path, { start, count, fps, signal })) {
      if (signal.aborted) break;
      await renderFrame({ index: fr.index, rgb: fr.data, width: fr.width, height: fr.height });
      onFrame(done);
    }
    return done;
  }

  async close(): Promise<void> {
    this.reference?.close?.();
    await this.sourceReader?.close().catch(() => {});
  }
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
