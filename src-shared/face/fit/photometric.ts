/**
 * Albedo and SH lighting from the frame's pixels at the projected, visible vertices.
 * Lighting per frame: for each colour channel, least squares for its 9 coefficients in
 *   colour_v = albedo_v * sum_k c_k B_k(n_v)   (B from shading/sh.ts, camera-space normals)
 * with a small ridge towards ambient white (keeps dark or half-visible frames stable).
 * Albedo: per-vertex median over frames of colour / irradiance, starting from unit ambient
 * irradiance; the albedo/light scale ambiguity is fixed by that start (mean band-0 ~ 1).
 */
import { SH_COEFFS } from '../params.js';
import { VERTEX_COUNT } from '../topology.js';
import { shBasis } from '../shading/sh.js';
import { choleskySolve, medianInPlace } from '../math/linalg.js';

export interface RgbImage {
  /** Packed RGB or RGBA bytes, row-major. */
  data: Uint8Array | Uint8ClampedArray;
  width: number;
  height: number;
  channels: 3 | 4;
}

/** One frame's observation: colour (0..1) and normal per vertex, and visibility. */
export interface VertexSamples {
  colours: Float32Array;
  normals: Float32Array;
  visible: Uint8Array;
}

export function createVertexSamples(): VertexSamples {
  return { colours: new Float32Array(VERTEX_COUNT * 3), normals: new Float32Array(VERTEX_COUNT * 3), visible: new Uint8Array(VERTEX_COUNT) };
}

/**
 * Bilinear colour at each projected vertex whose normal faces the camera (n . -p > 0.2, i.e.
 * not grazing) and which lies inside the image. positions/normals: camera space.
 */
export function sampleVertexColours(image: RgbImage, points2d: ArrayLike<number>, positions: ArrayLike<number>, normals: ArrayLike<number>, out: VertexSamples): void {
  const { data, width, height, channels } = image;
  for (let i = 0; i < VERTEX_COUNT; i++) {
    out.normals[3 * i] = normals[3 * i]!;
    out.normals[3 * i + 1] = normals[3 * i + 1]!;
    out.normals[3 * i + 2] = normals[3 * i + 2]!;
    const px = positions[3 * i]!;
    const py = positions[3 * i + 1]!;
    const pz = positions[3 * i + 2]!;
    const pl = Math.hypot(px, py, pz) || 1;
    const facing = -(normals[3 * i]! * px + normals[3 * i + 1]! * py + normals[3 * i + 2]! * pz) / pl;
    const u = points2d[2 * i]! - 0.5;
    const v = points2d[2 * i + 1]! - 0.5;
    if (facing < 0.2 || u < 0 || v < 0 || u >= width - 1 || v >= height - 1) {
      out.visible[i] = 0;
      continue;
    }
    out.visible[i] = 1;
    const x0 = Math.floor(u);
    const y0 = Math.floor(v);
    const fx = u - x0;
    const fy = v - y0;
    const o00 = (y0 * width + x0) * channels;
    const o10 = o00 + channels;
    const o01 = o00 + width * channels;
    const o11 = o01 + channels;
    for (let c = 0; c < 3; c++) {
      const top = data[o00 + c]! * (1 - fx) + data[o10 + c]! * fx;
      const bot = data[o01 + c]! * (1 - fx) + data[o11 + c]! * fx;
      out.colours[3 * i + c] = (top * (1 - fy) + bot * fy) / 255;
    }
  }
}

const A = new Float64Array(81);
const rhs = new Float64Array(9);
const basis = new Float64Array(9);

/** Least-squares SH lighting (27 values) for one frame given the albedo. Returns rms colour error. */
export function solveLighting(albedo: ArrayLike<number>, s: VertexSamples, outSh: Float32Array, ridge = 1e-2): number {
  if (outSh.length < SH_COEFFS) throw new RangeError('outSh needs 27 values');
  let used = 0;
  for (let c = 0; c < 3; c++) {
    A.fill(0);
    rhs.fill(0);
    for (let i = 0; i < VERTEX_COUNT; i++) {
      if (!s.visible[i]) continue;
      shBasis(s.normals[3 * i]!, s.normals[3 * i + 1]!, s.normals[3 * i + 2]!, basis);
      const a = albedo[3 * i + c]!;
      const y = s.colours[3 * i + c]!;
      for (let r = 0; r < 9; r++) {
        const jr = a * basis[r]!;
        rhs[r] = rhs[r]! + jr * y;
        for (let k = r; k < 9; k++) A[r * 9 + k] = A[r * 9 + k]! + jr * a * basis[k]!;
      }
      if (c === 0) used++;
    }
    for (let r = 0; r < 9; r++) for (let k = 0; k < r; k++) A[r * 9 + k] = A[k * 9 + r]!;
    const lam = ridge * Math.max(used, 1);
    for (let r = 0; r < 9; r++) A[r * 10] = A[r * 10]! + lam;
    rhs[0] = rhs[0]! + lam; // ridge towards ambient white (c0 = 1, others 0)
    if (!choleskySolve(A, rhs, 9)) {
      for (let r = 0; r < 9; r++) outSh[3 * r + c] = r === 0 ? 1 : 0;
      continue;
    }
    for (let r = 0; r < 9; r++) outSh[3 * r + c] = rhs[r]!;
  }
  let se = 0;
  for (let i = 0; i < VERTEX_COUNT; i++) {
    if (!s.visible[i]) continue;
    shBasis(s.normals[3 * i]!, s.normals[3 * i + 1]!, s.normals[3 * i + 2]!, basis);
    for (let c = 0; c < 3; c++) {
      let e = 0;
      for (let r = 0; r < 9; r++) e += outSh[3 * r + c]! * basis[r]!;
      se += (albedo[3 * i + c]! * e - s.colours[3 * i + c]!) ** 2;
    }
  }
  return Math.sqrt(se / Math.max(1, 3 * used));
}

/**
 * Albedo from several frames' samples, alternating with per-frame lighting: start from unit
 * ambient (albedo = median colour), then `rounds` times solve each frame's SH and take the
 * median of colour / irradiance. Vertices never seen keep `fallback`. Returns per-frame SH.
 */
export function estimateAlbedo(frames: readonly VertexSamples[], outAlbedo: Float32Array, fallback: ArrayLike<number>, rounds = 2): Float32Array[] {
  const sh = frames.map(() => {
    const a = new Float32Array(SH_COEFFS);
    a[0] = a[1] = a[2] = 1;
    return a;
  });
  const col = new Float64Array(frames.length);
  const irr = (f: number, i: number, c: number) => {
    shBasis(frames[f]!.normals[3 * i]!, frames[f]!.normals[3 * i + 1]!, frames[f]!.normals[3 * i + 2]!, basis);
    let e = 0;
    for (let r = 0; r < 9; r++) e += sh[f]![3 * r + c]! * basis[r]!;
    return e;
  };
  for (let round = 0; round <= rounds; round++) {
    for (let i = 0; i < VERTEX_COUNT; i++) {
      for (let c = 0; c < 3; c++) {
        let n = 0;
        for (let f = 0; f < frames.length; f++) {
          if (!frames[f]!.visible[i]) continue;
          const e = irr(f, i, c);
          if (e > 0.05) col[n++] = frames[f]!.colours[3 * i + c]! / e;
        }
        outAlbedo[3 * i + c] = n > 0 ? Math.min(1, medianInPlace(col, n)) : fallback[3 * i + c]!;
      }
    }
    if (round < rounds) {
      frames.forEach((s, f) => solveLighting(outAlbedo, s, sh[f]!));
      // Fix the albedo/light gauge: mean band-0 coefficient over frames is 1 per channel.
      for (let c = 0; c < 3; c++) {
        let m = 0;
        for (const a of sh) m += a[c]!;
        m /= sh.length;
        if (m > 1e-6) for (const a of sh) for (let r = 0; r < 9; r++) a[3 * r + c] = a[3 * r + c]! / m;
      }
    }
  }
  return sh;
}
