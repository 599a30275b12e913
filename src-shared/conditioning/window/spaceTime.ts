import { CHANNELS_PER_FRAME } from '../images/renderer.js';
import type { FrameCache } from './frameCache.js';

/** The paper's temporal window: frames f-10..f. */
export const WINDOW_FRAMES = 11;
export const WINDOW_CHANNELS = WINDOW_FRAMES * CHANNELS_PER_FRAME;

/** Frame index of window slot k (0 = oldest) for frame f: clamped to 0, i.e. the start is padded with frame 0. */
export function windowFrameIndex(f: number, k: number, windowFrames = WINDOW_FRAMES): number {
  return Math.max(0, f - (windowFrames - 1) + k);
}

/**
 * Assembles the space-time input of frame f: H x W x (windowFrames * 9) floats, HWC, with
 * channel layout [frame f-10: color rgb, corr rgb, gaze rgb, ..., frame f: ...], ready for
 * tf.tensor3d(out, [H, W, 99]). Per-frame images come from the cache, rendered on a miss.
 */
export class WindowAssembler {
  readonly width: number;
  readonly height: number;
  readonly windowFrames: number;
  private readonly cache: FrameCache;
  private readonly renderFrame: (frame: number, out: Float32Array) => void;
  private readonly slots: Float32Array[];

  constructor(width: number, height: number, cache: FrameCache, renderFrame: (frame: number, out: Float32Array) => void, windowFrames = WINDOW_FRAMES) {
    if (cache.frameSize !== width * height * CHANNELS_PER_FRAME) throw new RangeError('cache frame size does not match the window size');
    if (cache.capacity < windowFrames) throw new RangeError(`cache must hold at least ${windowFrames} frames`);
    this.width = width;
    this.height = height;
    this.windowFrames = windowFrames;
    this.cache = cache;
    this.renderFrame = renderFrame;
    this.slots = new Array<Float32Array>(windowFrames);
  }

  windowSize(): number {
    return this.width * this.height * this.windowFrames * CHANNELS_PER_FRAME;
  }

  assemble(frame: number, stamp: string | number, out: Float32Array = new Float32Array(this.windowSize())): Float32Array {
    if (!(Number.isInteger(frame) && frame >= 0)) throw new RangeError(`bad frame index ${frame}`);
    if (out.length < this.windowSize()) throw new RangeError('window buffer too small');
    const K = this.windowFrames;
    // Fetch the newest frames last so the LRU keeps the ones the next frame also needs.
    for (let k = 0; k < K; k++) this.slots[k] = this.cache.getOrRender(windowFrameIndex(frame, k, K), stamp, this.renderFrame);
    const C = CHANNELS_PER_FRAME;
    const np = this.width * this.height;
    const slots = this.slots;
    // Pixel-major so the 99-channel output is written sequentially (it is the large stream).
    for (let p = 0, s = 0, o = 0; p < np; p++, s += C) {
      for (let k = 0; k < K; k++, o += C) {
        const src = slots[k]!;
        out[o] = src[s]!;
        out[o + 1] = src[s + 1]!;
        out[o + 2] = src[s + 2]!;
        out[o + 3] = src[s + 3]!;
        out[o + 4] = src[s + 4]!;
        out[o + 5] = src[s + 5]!;
        out[o + 6] = src[s + 6]!;
        out[o + 7] = src[s + 7]!;
        out[o + 8] = src[s + 8]!;
      }
    }
    return out;
  }
}
