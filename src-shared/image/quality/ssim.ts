/**
 * SSIM as defined by Wang, Bovik, Sheikh & Simoncelli (2004) and their MATLAB ssim_index:
 * luma only, 11x11 Gaussian window (sigma 1.5, normalised), K1 = 0.01, K2 = 0.03, L = 255,
 * 'valid' windows only (no padding, so no invented border pixels), no downsampling (the
 * reference downsamples images larger than 256 px; we compare crops at their own size).
 * Numbers therefore match published SSIM figures computed the standard way, unlike the cheap
 * 8x8-block variant in ../metrics.ts used for training curves.
 */
import { checkRgb, lumaPlane } from './luma.js';
import { checkMask, MASK_THRESHOLD, type Mask } from './mask.js';

export const SSIM_WINDOW = 11;
export const SSIM_SIGMA = 1.5;
export const SSIM_K1 = 0.01;
export const SSIM_K2 = 0.03;
export const SSIM_L = 255;

const RADIUS = (SSIM_WINDOW - 1) / 2;

/**
 * 1-D Gaussian taps. The 2-D window exp(-(x²+y²)/2σ²)/Σ is the outer product of this one
 * with itself (its sum is the square of the 1-D sum), so filtering rows then columns with it
 * is exactly the 2-D filter at 22 instead of 121 multiplies per pixel.
 */
const TAPS: Float64Array = (() => {
  const g = new Float64Array(SSIM_WINDOW);
  let s = 0;
  for (let k = 0; k < SSIM_WINDOW; k++) {
    const d = k - RADIUS;
    g[k] = Math.exp(-(d * d) / (2 * SSIM_SIGMA * SSIM_SIGMA));
    s += g[k]!;
  }
  for (let k = 0; k < SSIM_WINDOW; k++) g[k]! /= s;
  return g;
})();

export interface SsimMap {
  /** SSIM of the window whose top-left pixel is (x, y), at y * width + x. */
  map: Float32Array;
  /** Image width - 10. */
  width: number;
  /** Image height - 10. */
  height: number;
}

/**
 * The local SSIM of every 11x11 window lying wholly inside the image; entry (x, y) is the
 * window centred on image pixel (x + 5, y + 5).
 */
export function ssimMap(a: Uint8Array, b: Uint8Array, width: number, height: number): SsimMap {
  checkRgb(a, width, height, 'first image');
  checkRgb(b, width, height, 'second image');
  if (width < SSIM_WINDOW || height < SSIM_WINDOW) throw new RangeError(`SSIM needs at least ${SSIM_WINDOW}x${SSIM_WINDOW} pixels, got ${width}x${height}`);
  const n = width * height;
  const la = lumaPlane(a, n);
  const lb = lumaPlane(b, n);
  const ow = width - 2 * RADIUS;
  const oh = height - 2 * RADIUS;
  const g = TAPS;

  // Row pass: the five moments (a, b, a², b², ab) filtered along x, for every image row.
  // Float64 because sigma² = E[a²] - E[a]² cancels ~65025-sized terms.
  const hn = ow * height;
  const ha = new Float64Array(hn), hb = new Float64Array(hn);
  const haa = new Float64Array(hn), hbb = new Float64Array(hn), hab = new Float64Array(hn);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < ow; x++) {
      let sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
      for (let k = 0, i = row + x; k < SSIM_WINDOW; k++, i++) {
        const w = g[k]!, va = la[i]!, vb = lb[i]!;
        sa += w * va; sb += w * vb;
        saa += w * va * va; sbb += w * vb * vb; sab += w * va * vb;
      }
      const o = y * ow + x;
      ha[o] = sa; hb[o] = sb; haa[o] = saa; hbb[o] = sbb; hab[o] = sab;
    }
  }

  // Column pass, finishing each window's SSIM as soon as its five moments are known.
  const c1 = (SSIM_K1 * SSIM_L) ** 2;
  const c2 = (SSIM_K2 * SSIM_L) ** 2;
  const map = new Float32Array(ow * oh);
  for (let y = 0; y < oh; y++) {
    for (let x = 0; x < ow; x++) {
      let ma = 0, mb = 0, eaa = 0, ebb = 0, eab = 0;
      for (let k = 0, i = y * ow + x; k < SSIM_WINDOW; k++, i += ow) {
        const w = g[k]!;
        ma += w * ha[i]!; mb += w * hb[i]!;
        eaa += w * haa[i]!; ebb += w * hbb[i]!; eab += w * hab[i]!;
      }
      const va = eaa - ma * ma, vb = ebb - mb * mb, cov = eab - ma * mb;
      map[y * ow + x] = ((2 * ma * mb + c1) * (2 * cov + c2)) / ((ma * ma + mb * mb + c1) * (va + vb + c2));
    }
  }
  return { map, width: ow, height: oh };
}

/**
 * Mean SSIM (1 = identical). With a mask, the mean over the windows whose CENTRE pixel is
 * inside the mask: such windows still read up to 5 px beyond the mask, so a face-crop score
 * includes a little of the silhouette edge; pass erodeMask(mask, w, h, 5) to keep every
 * window wholly inside. NaN when the mask holds no window centre (nothing was measured; a
 * perfect score would be a lie).
 */
export function ssim(a: Uint8Array, b: Uint8Array, width: number, height: number, mask?: Mask): number {
  if (mask) checkMask(mask, width * height);
  const { map, width: ow, height: oh } = ssimMap(a, b, width, height);
  let sum = 0, count = 0;
  if (!mask) {
    for (let i = 0; i < map.length; i++) sum += map[i]!;
    return sum / map.length;
  }
  for (let y = 0; y < oh; y++) {
    const centreRow = (y + RADIUS) * width + RADIUS;
    for (let x = 0; x < ow; x++) {
      if (mask[centreRow + x]! > MASK_THRESHOLD) {
        sum += map[y * ow + x]!;
        count++;
      }
    }
  }
  return count ? sum / count : NaN;
}
