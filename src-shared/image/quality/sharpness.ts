/**
 * Sharpness as high-frequency energy: a neural renderer's typical failure is a plausible but
 * blurred face, which PSNR rewards; comparing Laplacian energy to the real frame's exposes it.
 */
import { checkRgb, lumaPlane } from './luma.js';
import { checkMask, MASK_THRESHOLD, type Mask } from './mask.js';

/**
 * Mean squared response of the 4-neighbour Laplacian [0 1 0; 1 -4 1; 0 1 0] on luma (0..255).
 * The 1-px image border is skipped (no neighbours). With a mask, only pixels whose whole
 * kernel support (itself and its 4 neighbours) is inside the mask count: the metric then
 * never reads a pixel outside the mask, so the face/background edge (which differs between a
 * render and the real frame for reasons that are not sharpness) does not count.
 * NaN when no pixel counts.
 */
export function highFrequencyEnergy(img: Uint8Array, width: number, height: number, mask?: Mask): number {
  checkRgb(img, width, height);
  if (mask) checkMask(mask, width * height);
  const l = lumaPlane(img, width * height);
  const t = MASK_THRESHOLD;
  let sum = 0, count = 0;
  for (let y = 1; y < height - 1; y++) {
    for (let x = 1, p = y * width + 1; x < width - 1; x++, p++) {
      if (mask && !(mask[p]! > t && mask[p - 1]! > t && mask[p + 1]! > t && mask[p - width]! > t && mask[p + width]! > t)) continue;
      const r = l[p - 1]! + l[p + 1]! + l[p - width]! + l[p + width]! - 4 * l[p]!;
      sum += r * r;
      count++;
    }
  }
  return count ? sum / count : NaN;
}

/**
 * energy(output) / energy(real): 1 = as sharp as the real frame, < 1 blurrier, > 1 sharper or
 * noisier. A flat real frame (zero energy) gives 1 if the output is flat too, else +Infinity.
 * NaN when the mask leaves no pixel.
 */
export function sharpnessRatio(output: Uint8Array, real: Uint8Array, width: number, height: number, mask?: Mask): number {
  const eo = highFrequencyEnergy(output, width, height, mask);
  const er = highFrequencyEnergy(real, width, height, mask);
  return energyRatio(eo, er);
}

/** eo / er with a zero denominator guarded (see sharpnessRatio). */
export function energyRatio(eo: number, er: number): number {
  if (Number.isNaN(eo) || Number.isNaN(er)) return NaN;
  if (er === 0) return eo === 0 ? 1 : Number.POSITIVE_INFINITY;
  return eo / er;
}
