/**
 * Pixel masks for the metrics: the convention (a pixel counts when its value is > 0.5), the
 * face silhouette of a conditioning render, and erosion (to keep windowed metrics off the
 * silhouette edge).
 */
import { CHANNELS_PER_FRAME } from '../../conditioning/images/renderer.js';

/** width*height values in 0..1; soft masks (feathered) are thresholded at MASK_THRESHOLD. */
export type Mask = Float32Array | Uint8Array;

export const MASK_THRESHOLD = 0.5;

/** Value the conditioning renderer writes to every channel of a pixel no triangle covers. */
export const CONDITIONING_BACKGROUND = -1;

/** Throws unless mask has one value per pixel. */
export function checkMask(mask: Mask, pixels: number): void {
  if (mask.length !== pixels) throw new RangeError(`mask has ${mask.length} values, the image ${pixels} pixels`);
}

/** Number of pixels counted by the mask. */
export function maskArea(mask: Mask): number {
  let n = 0;
  for (let p = 0; p < mask.length; p++) if (mask[p]! > MASK_THRESHOLD) n++;
  return n;
}

/**
 * The face silhouette of a frame's own conditioning render (size x size, HWC): 1 where the
 * rendered mesh covers the pixel, else 0.
 *
 * The correspondence image is used because it is the only one that is never background-valued
 * on the face: colour can be black (-1) under dark lighting and gaze is -1 off the eyes, while
 * correspondence encodes the canonical position, which equals the background on all three
 * channels only at the bounding-box corner. With channelsPerPixel = 99 (a space-time window)
 * the frame's own images are the last 9 channels of each pixel (the window puts frame f last).
 */
export function maskFromConditioning(cond: Float32Array, size: number, channelsPerPixel = CHANNELS_PER_FRAME, out: Uint8Array = new Uint8Array(size * size)): Uint8Array {
  if (!(Number.isInteger(size) && size > 0)) throw new RangeError(`bad size ${size}`);
  if (!(Number.isInteger(channelsPerPixel) && channelsPerPixel >= CHANNELS_PER_FRAME && channelsPerPixel % CHANNELS_PER_FRAME === 0)) {
    throw new RangeError(`channelsPerPixel must be a multiple of ${CHANNELS_PER_FRAME}, got ${channelsPerPixel}`);
  }
  const pixels = size * size;
  if (cond.length !== pixels * channelsPerPixel) throw new RangeError(`conditioning has ${cond.length} values, ${size}x${size}x${channelsPerPixel} expected`);
  if (out.length < pixels) throw new RangeError('mask buffer too small');
  const corr = channelsPerPixel - CHANNELS_PER_FRAME + 3;
  // Interpolated values can stray below -1 by rounding; anything this close is background.
  const eps = 1e-6;
  const bg = CONDITIONING_BACKGROUND;
  for (let p = 0, o = corr; p < pixels; p++, o += channelsPerPixel) {
    out[p] = Math.abs(cond[o]! - bg) > eps || Math.abs(cond[o + 1]! - bg) > eps || Math.abs(cond[o + 2]! - bg) > eps ? 1 : 0;
  }
  return out;
}

/**
 * Binary erosion by a (2r+1) x (2r+1) square: a pixel stays only if every pixel within r
 * (Chebyshev) is inside. Pixels beyond the image border count as outside, so a face touching
 * the crop edge is eroded there too (conservative: no metric then reads past the edge).
 * Eroding by 5 makes SSIM's 11x11 windows centred in the result lie wholly inside `mask`.
 */
export function erodeMask(mask: Mask, width: number, height: number, radius = 1, out: Uint8Array = new Uint8Array(width * height)): Uint8Array {
  const n = width * height;
  checkMask(mask, n);
  if (!(Number.isInteger(radius) && radius >= 0)) throw new RangeError(`bad radius ${radius}`);
  if (out.length < n) throw new RangeError('mask buffer too small');
  // The square is separable: a run of 2r+1 along x, then along y, counted with a sliding sum.
  const span = 2 * radius + 1;
  const rows = new Uint8Array(n);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    let run = 0;
    // run = inside pixels in [x - r, x + r] (clipped to the image).
    for (let x = 0; x < radius && x < width; x++) if (mask[row + x]! > MASK_THRESHOLD) run++;
    for (let x = 0; x < width; x++) {
      const add = x + radius, drop = x - radius - 1;
      if (add < width && mask[row + add]! > MASK_THRESHOLD) run++;
      if (drop >= 0 && mask[row + drop]! > MASK_THRESHOLD) run--;
      rows[row + x] = run === span ? 1 : 0;
    }
  }
  for (let x = 0; x < width; x++) {
    let run = 0;
    for (let y = 0; y < radius && y < height; y++) run += rows[y * width + x]!;
    for (let y = 0; y < height; y++) {
      const add = y + radius, drop = y - radius - 1;
      if (add < height) run += rows[add * width + x]!;
      if (drop >= 0) run -= rows[drop * width + x]!;
      out[y * width + x] = run === span ? 1 : 0;
    }
  }
  return out;
}
