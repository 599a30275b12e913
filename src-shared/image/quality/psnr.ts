/** Pixel-wise error of RGB8 images: MSE and PSNR over all three channels. */
import { checkMask, MASK_THRESHOLD, type Mask } from './mask.js';

/**
 * PSNR reported for identical images (and capped there): the true value is +Infinity, which
 * JSON cannot carry and which wrecks averages over frames. 99 dB is far above what a renderer
 * reaches (~25-40 dB); only near-identical images are capped (one value off by one in a
 * 256x256 crop is ~101 dB).
 */
export const PSNR_CAP_DB = 99;

function checkPair(a: Uint8Array, b: Uint8Array, mask?: Mask): void {
  if (a.length !== b.length) throw new RangeError(`images differ in size: ${a.length} vs ${b.length} bytes`);
  if (a.length % 3 !== 0) throw new RangeError(`RGB8 image length ${a.length} is not a multiple of 3`);
  if (mask) checkMask(mask, a.length / 3);
}

/**
 * Mean squared error per channel value (0..65025), over the pixels inside the mask (all three
 * channels of a pixel count) or the whole image. NaN for an empty mask.
 */
export function mse(a: Uint8Array, b: Uint8Array, mask?: Mask): number {
  checkPair(a, b, mask);
  let se = 0, values = 0;
  if (!mask) {
    for (let i = 0; i < a.length; i++) {
      const d = a[i]! - b[i]!;
      se += d * d;
    }
    return a.length ? se / a.length : NaN;
  }
  for (let p = 0, i = 0; p < mask.length; p++, i += 3) {
    if (!(mask[p]! > MASK_THRESHOLD)) continue;
    const dr = a[i]! - b[i]!, dg = a[i + 1]! - b[i + 1]!, db = a[i + 2]! - b[i + 2]!;
    se += dr * dr + dg * dg + db * db;
    values += 3;
  }
  return values ? se / values : NaN;
}

/** PSNR in dB with peak 255, capped at PSNR_CAP_DB; NaN for an empty mask. */
export function psnr(a: Uint8Array, b: Uint8Array, mask?: Mask): number {
  const e = mse(a, b, mask);
  if (Number.isNaN(e)) return NaN;
  if (e === 0) return PSNR_CAP_DB;
  return Math.min(PSNR_CAP_DB, 10 * Math.log10((255 * 255) / e));
}
