/**
 * Deterministic test images for the quality metrics' tests (pure, seeded): a textured
 * "photo-like" image and the degradations the metrics must tell apart.
 */

/** mulberry32: small, seedable, good enough for test noise. */
export function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const clamp8 = (v: number): number => (v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v));

/** Smooth gradients + several sinusoids + a disc + fine noise: structure at many scales, in colour. */
export function texturedImage(width: number, height: number, seed = 1): Uint8Array {
  const r = rng(seed);
  const out = new Uint8Array(width * height * 3);
  const f = [0.05 + 0.1 * r(), 0.2 + 0.3 * r(), 0.7 + 0.5 * r()];
  const ph = [r() * 6, r() * 6, r() * 6];
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const base = 60 + 100 * (x / width) + 40 * Math.sin(f[0]! * (x + 2 * y) + ph[0]!)
        + 25 * Math.sin(f[1]! * (x - y) + ph[1]!) + 12 * Math.sin(f[2]! * x + ph[2]!) * Math.cos(f[2]! * y);
      const disc = (x - width / 2) ** 2 + (y - height / 2) ** 2 < (Math.min(width, height) / 4) ** 2 ? 35 : 0;
      const o = 3 * (y * width + x);
      out[o] = clamp8(base + disc + 10 * (r() - 0.5));
      out[o + 1] = clamp8(0.8 * base + 20 + 10 * (r() - 0.5));
      out[o + 2] = clamp8(0.6 * base + 40 - disc + 10 * (r() - 0.5));
    }
  }
  return out;
}

/** Separable binomial blur [1 4 6 4 1]/16 (clamped edges), `passes` times. */
export function blurred(img: Uint8Array, width: number, height: number, passes = 1): Uint8Array {
  const k = [1, 4, 6, 4, 1];
  let src = Float32Array.from(img);
  const tmp = new Float32Array(src.length);
  for (let pass = 0; pass < passes; pass++) {
    const dst = new Float32Array(src.length);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let j = -2; j <= 2; j++) s += k[j + 2]! * src[3 * (y * width + Math.min(width - 1, Math.max(0, x + j))) + c]!;
      tmp[3 * (y * width + x) + c] = s / 16;
    }
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) for (let c = 0; c < 3; c++) {
      let s = 0;
      for (let j = -2; j <= 2; j++) s += k[j + 2]! * tmp[3 * (Math.min(height - 1, Math.max(0, y + j)) * width + x) + c]!;
      dst[3 * (y * width + x) + c] = s / 16;
    }
    src = dst;
  }
  return Uint8Array.from(src, clamp8);
}

/** Adds uniform noise of +-amp/2 to every channel. */
export function noisy(img: Uint8Array, amp: number, seed = 7): Uint8Array {
  const r = rng(seed);
  return Uint8Array.from(img, (v) => clamp8(v + amp * (r() - 0.5)));
}

/** Unsharp mask: img + amount * (img - blur(img)). */
export function sharpened(img: Uint8Array, width: number, height: number, amount = 1): Uint8Array {
  const b = blurred(img, width, height);
  return img.map((v, i) => clamp8(v + amount * (v - b[i]!)));
}

/** A width x height RGB8 image of one grey level (or colour). */
export function constantImage(width: number, height: number, r: number, g = r, b = r): Uint8Array {
  const out = new Uint8Array(width * height * 3);
  for (let i = 0; i < out.length; i += 3) { out[i] = r; out[i + 1] = g; out[i + 2] = b; }
  return out;
}

/** Grey RGB8 image (R = G = B = rounded luma): every luma convention agrees on it exactly. */
export function toGrey(img: Uint8Array): Uint8Array {
  const out = new Uint8Array(img.length);
  for (let i = 0; i < img.length; i += 3) {
    const v = clamp8(0.299 * img[i]! + 0.587 * img[i + 1]! + 0.114 * img[i + 2]!);
    out[i] = v; out[i + 1] = v; out[i + 2] = v;
  }
  return out;
}

/** RGBA copy (alpha 255), the layout ssim.js reads. */
export function toRgba(img: Uint8Array, width: number, height: number): { data: Uint8ClampedArray; width: number; height: number } {
  const data = new Uint8ClampedArray(width * height * 4);
  for (let p = 0; p < width * height; p++) {
    data[4 * p] = img[3 * p]!; data[4 * p + 1] = img[3 * p + 1]!; data[4 * p + 2] = img[3 * p + 2]!; data[4 * p + 3] = 255;
  }
  return { data, width, height };
}

/** A filled ellipse mask (1 inside), the shape of a face crop's silhouette. */
export function ellipseMask(width: number, height: number, rx = 0.3, ry = 0.38): Uint8Array {
  const m = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) {
    const u = (x + 0.5 - width / 2) / (rx * width), v = (y + 0.5 - height / 2) / (ry * height);
    m[y * width + x] = u * u + v * v <= 1 ? 1 : 0;
  }
  return m;
}

/** Copy of img with every pixel where keep[p] is false replaced by fresh noise. */
export function scrambleWhere(img: Uint8Array, keep: (p: number) => boolean, seed = 99): Uint8Array {
  const r = rng(seed);
  const out = img.slice();
  for (let p = 0; p < img.length / 3; p++) {
    if (keep(p)) continue;
    out[3 * p] = Math.floor(256 * r()); out[3 * p + 1] = Math.floor(256 * r()); out[3 * p + 2] = Math.floor(256 * r());
  }
  return out;
}
