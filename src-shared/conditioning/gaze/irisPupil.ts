import type { EyeRig } from './eyeRig.js';

/**
 * Eye-local (canonical) coordinates of the surface point of eye e seen in the direction of the
 * posed iris centre vertex (camera at the origin, camera-space positions): the ray from the
 * camera through the vertex is intersected with the eye's triangles and the hit's barycentrics
 * (the rasterizer's perspective-correct ones) interpolate `local`. A pupil centred there lands
 * on the projected iris vertex. When the ray misses every eye triangle (the lid covers the iris
 * centre), the triangle it passes closest to is extrapolated affinely, so the pupil sits
 * beyond the opening and only its visible part is drawn. Writes out and returns false when the
 * rig has no iris vertex for e; allocation-free.
 */
export function irisPupilLocal(rig: EyeRig, indices: Uint32Array, positions: ArrayLike<number>, e: number, out: [number, number]): boolean {
  const iv = rig.irisVertex[e]!;
  if (iv < 0) return false;
  const dx = positions[3 * iv]!, dy = positions[3 * iv + 1]!, dz = positions[3 * iv + 2]!;
  const tris = rig.eyeTris[e]!;
  const L = rig.local;
  let bestT = Infinity, bestOut = Infinity, found = false;
  for (let k = 0; k < tris.length; k++) {
    const t = tris[k]!;
    const a = indices[3 * t]!, b = indices[3 * t + 1]!, c = indices[3 * t + 2]!;
    const ax = positions[3 * a]!, ay = positions[3 * a + 1]!, az = positions[3 * a + 2]!;
    const e1x = positions[3 * b]! - ax, e1y = positions[3 * b + 1]! - ay, e1z = positions[3 * b + 2]! - az;
    const e2x = positions[3 * c]! - ax, e2y = positions[3 * c + 1]! - ay, e2z = positions[3 * c + 2]! - az;
    // Moller-Trumbore with the ray origin at the camera (0, 0, 0), direction d.
    const px = dy * e2z - dz * e2y, py = dz * e2x - dx * e2z, pz = dx * e2y - dy * e2x;
    const det = e1x * px + e1y * py + e1z * pz;
    if (Math.abs(det) < 1e-12) continue; // seen edge-on (a collapsed lid triangle)
    const inv = 1 / det;
    const sx = -ax, sy = -ay, sz = -az;
    const u = (sx * px + sy * py + sz * pz) * inv;
    const qx = sy * e1z - sz * e1y, qy = sz * e1x - sx * e1z, qz = sx * e1y - sy * e1x;
    const v = (dx * qx + dy * qy + dz * qz) * inv;
    const dist = (e2x * qx + e2y * qy + e2z * qz) * inv;
    const outside = Math.max(0, -u, -v, u + v - 1);
    // Prefer a real hit nearest the camera; else the least extrapolated triangle.
    const better = outside === 0 ? (bestOut > 0 || dist < bestT) : bestOut > 0 && outside < bestOut;
    if (!better) continue;
    bestOut = outside;
    bestT = dist;
    const w0 = 1 - u - v;
    out[0] = w0 * L[2 * a]! + u * L[2 * b]! + v * L[2 * c]!;
    out[1] = w0 * L[2 * a + 1]! + u * L[2 * b + 1]! + v * L[2 * c + 1]!;
    found = true;
  }
  if (!found) {
    out[0] = rig.restPupil[e]![0];
    out[1] = rig.restPupil[e]![1];
  }
  return true;
}
