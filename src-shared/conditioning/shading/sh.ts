import { shBasis, shadeVertices as faceShadeVertices } from '../../face/index.js';

/**
 * SH shading for the conditioning images is the face model's own (src-shared/face
 * shading/sh.ts: real SH bands 0..2 divided by Y00, irradiance coefficients, camera-space
 * normals), so the color image shows exactly the lighting the tracker estimated.
 */

/**
 * Per-vertex shaded colour mapped to the net's range: out = 2 * clamp(albedo * E(n), 0, 1) - 1.
 * Shading per vertex (then interpolated) is what the viewport's vertex shader does too.
 */
export function shadeVerticesSigned(normals: Float32Array, albedo: Float32Array, sh: Float32Array, count: number, out: Float32Array): void {
  faceShadeVertices(normals, albedo, sh, out, count);
  for (let i = 0; i < 3 * count; i++) {
    const v = out[i]!;
    out[i] = v <= 0 ? -1 : v >= 1 ? 1 : 2 * v - 1;
  }
}

/**
 * The basis constants read off the face model's shBasis, so the GLSL copy below cannot drift
 * from it: B1..3 = K1 * (y, z, x), B4,5,7 = K2 * (xy, yz, xz), B6 = K20 (3z^2 - 1), B8 = K22 (x^2 - y^2).
 */
function basisConstants(): { K1: number; K2: number; K20: number; K22: number } {
  const b = new Float64Array(9);
  shBasis(1, 1, 1, b);
  const K1 = b[1]!, K2 = b[4]!;
  shBasis(0, 0, 1, b);
  const K20 = b[6]! / 2;
  shBasis(1, 0, 0, b);
  const K22 = b[8]!;
  return { K1, K2, K20, K22 };
}

export const SH_CONSTANTS = basisConstants();

function glslFloat(x: number): string {
  const s = x.toPrecision(9);
  return s.includes('.') || s.includes('e') ? s : `${s}.0`;
}

/** GLSL `vec3 shIrradiance(vec3 n, vec3 sh[9])`: the same formula as shadeVertices. */
export const SH_GLSL = (() => {
  const { K1, K2, K20, K22 } = SH_CONSTANTS;
  return `
vec3 shIrradiance(vec3 n, vec3 sh[9]) {
  return sh[0]
    + sh[1] * (${glslFloat(K1)} * n.y)
    + sh[2] * (${glslFloat(K1)} * n.z)
    + sh[3] * (${glslFloat(K1)} * n.x)
    + sh[4] * (${glslFloat(K2)} * n.x * n.y)
    + sh[5] * (${glslFloat(K2)} * n.y * n.z)
    + sh[6] * (${glslFloat(K20)} * (3.0 * n.z * n.z - 1.0))
    + sh[7] * (${glslFloat(K2)} * n.x * n.z)
    + sh[8] * (${glslFloat(K22)} * (n.x * n.x - n.y * n.y));
}
`;
})();
