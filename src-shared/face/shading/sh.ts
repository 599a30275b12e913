import { SH_COEFFS } from '../params.js';

/**
 * Second-order spherical-harmonics irradiance. Basis: the standard real SH functions
 * Y_00..Y_22 (order: 00, 1-1, 10, 11, 2-2, 2-1, 20, 21, 22) of the camera-space unit normal,
 * each divided by Y_00 = 0.282095 so that the constant term is 1: coefficient c0 = 1 alone is
 * unit ambient irradiance (neutralParams). Coefficients are irradiance (already cosine-
 * convolved) as in Face2Face / Deep Video Portraits: colour = albedo * sum_k c_k B_k(n).
 * Layout of the 27 values: RGB interleaved by coefficient, [c0r, c0g, c0b, c1r, ...].
 */
const Y00 = 0.282095;
const K1 = 0.488603 / Y00;
const K2 = 1.092548 / Y00;
const K20 = 0.315392 / Y00;
const K22 = 0.546274 / Y00;

/** Writes the 9 basis values of unit normal (x, y, z) into out[offset..offset+9). */
export function shBasis(x: number, y: number, z: number, out: Float64Array | Float32Array, offset = 0): void {
  out[offset] = 1;
  out[offset + 1] = K1 * y;
  out[offset + 2] = K1 * z;
  out[offset + 3] = K1 * x;
  out[offset + 4] = K2 * x * y;
  out[offset + 5] = K2 * y * z;
  out[offset + 6] = K20 * (3 * z * z - 1);
  out[offset + 7] = K2 * x * z;
  out[offset + 8] = K22 * (x * x - y * y);
}

/**
 * colour_v = albedo_v * irradiance(n_v). normals: unit, camera space, 3 per vertex; albedo and
 * out: RGB 0..1 per vertex. Allocation-free.
 */
export function shadeVertices(normals: ArrayLike<number>, albedo: ArrayLike<number>, sh: ArrayLike<number>, out: Float32Array, count = normals.length / 3): void {
  if (sh.length < SH_COEFFS) throw new RangeError('sh needs 27 coefficients');
  for (let i = 0; i < count; i++) {
    const x = normals[3 * i]!;
    const y = normals[3 * i + 1]!;
    const z = normals[3 * i + 2]!;
    const b1 = K1 * y;
    const b2 = K1 * z;
    const b3 = K1 * x;
    const b4 = K2 * x * y;
    const b5 = K2 * y * z;
    const b6 = K20 * (3 * z * z - 1);
    const b7 = K2 * x * z;
    const b8 = K22 * (x * x - y * y);
    for (let c = 0; c < 3; c++) {
      const e =
        sh[c]! + sh[3 + c]! * b1 + sh[6 + c]! * b2 + sh[9 + c]! * b3 + sh[12 + c]! * b4 + sh[15 + c]! * b5 + sh[18 + c]! * b6 + sh[21 + c]! * b7 + sh[24 + c]! * b8;
      out[3 * i + c] = albedo[3 * i + c]! * e;
    }
  }
}
