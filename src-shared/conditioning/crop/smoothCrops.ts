import type { CropBox } from '../camera.js';

export interface SmoothOptions {
  /** Gaussian sigma for the crop centre, in frames. */
  sigmaCenter?: number;
  /** Gaussian sigma for the crop size, in frames; size changes slowly, so smooth it harder. */
  sigmaSize?: number;
}

/**
 * Offline, zero-phase smoothing of per-frame crops over the whole track: a symmetric
 * Gaussian kernel (no lag, unlike a causal filter) on centre x, y and log size, with
 * mirrored ends so the first and last frames are not pulled towards zero. Frames without a
 * face (null) are filled by linear interpolation between their neighbours first.
 */
export function smoothCrops(boxes: ReadonlyArray<CropBox | null>, opts: SmoothOptions = {}): CropBox[] {
  const n = boxes.length;
  const known: number[] = [];
  for (let i = 0; i < n; i++) if (boxes[i]) known.push(i);
  if (known.length === 0) return [];
  const cx = new Float64Array(n), cy = new Float64Array(n), ls = new Float64Array(n);
  let k = 0;
  for (let i = 0; i < n; i++) {
    while (k + 1 < known.length && known[k + 1]! <= i) k++;
    const a = known[k]!;
    const b = known[Math.min(k + 1, known.length - 1)]!;
    const A = boxes[a]!, B = boxes[b]!;
    const t = b > a && i > a ? Math.min(1, (i - a) / (b - a)) : 0;
    const ta = i < a ? 0 : t; // before the first detection: hold it
    cx[i] = lerp(A.x + A.size / 2, B.x + B.size / 2, ta);
    cy[i] = lerp(A.y + A.size / 2, B.y + B.size / 2, ta);
    ls[i] = lerp(Math.log(A.size), Math.log(B.size), ta);
  }
  const sc = gaussianSmooth(cx, opts.sigmaCenter ?? 4);
  const sy = gaussianSmooth(cy, opts.sigmaCenter ?? 4);
  const ss = gaussianSmooth(ls, opts.sigmaSize ?? 8);
  const out: CropBox[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const size = Math.exp(ss[i]!);
    out[i] = { x: sc[i]! - size / 2, y: sy[i]! - size / 2, size };
  }
  return out;
}

function lerp(a: number, b: number, t: number): number {
  return a + (b - a) * t;
}

/** Symmetric Gaussian filter with mirrored boundaries. */
export function gaussianSmooth(x: Float64Array, sigma: number): Float64Array {
  const n = x.length;
  if (sigma <= 0 || n < 2) return Float64Array.from(x);
  const r = Math.ceil(3 * sigma);
  const w = new Float64Array(2 * r + 1);
  for (let k = -r; k <= r; k++) w[k + r] = Math.exp(-(k * k) / (2 * sigma * sigma));
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0, ws = 0;
    for (let k = -r; k <= r; k++) {
      let j = i + k;
      // Mirror about the end samples; fold repeatedly for tracks shorter than the kernel.
      while (j < 0 || j >= n) j = j < 0 ? -j : 2 * (n - 1) - j;
      s += w[k + r]! * x[j]!;
      ws += w[k + r]!;
    }
    out[i] = s / ws;
  }
  return out;
}
