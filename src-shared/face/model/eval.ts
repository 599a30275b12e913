/**
 * evalFace: parameters -> camera-space vertices and normals. The hot path is allocation-free:
 * callers keep one FaceGeometry per worker and reuse it every frame.
 */
import { EXPRESSION_COUNT, type EyeGaze, type FaceParams } from '../params.js';
import { LEFT_EYE, RIGHT_EYE, MESH_VERTEX_COUNT, TRIANGLES, VERTEX_COUNT } from '../topology.js';
import { rotationFromEuler } from '../math/rotation.js';
import type { ActorModel } from './actor.js';
import { expressionBasis } from './expression-basis.js';

export interface FaceGeometry {
  /** Model-frame shape after expression, blink and gaze (before pose), VERTEX_COUNT x 3 mm. */
  local: Float32Array;
  /** Camera-space positions (mm; camera looks down -z) and unit normals, VERTEX_COUNT x 3. */
  positions: Float32Array;
  normals: Float32Array;
  /** Head rotation used (row-major 3x3). */
  rotation: Float64Array;
}

export function createFaceGeometry(): FaceGeometry {
  return {
    local: new Float32Array(VERTEX_COUNT * 3),
    positions: new Float32Array(VERTEX_COUNT * 3),
    normals: new Float32Array(VERTEX_COUNT * 3),
    rotation: new Float64Array(9),
  };
}

const DEG = Math.PI / 180;

/**
 * Model-frame shape: neutral + sum_k e_k B_k + blink fields; the 5 iris points of each eye are
 * rotated about the eyeball centre by Ry(gaze.yaw) Rx(-gaze.pitch) (positive pitch looks up).
 */
export function evalLocalShape(actor: ActorModel, expression: ArrayLike<number>, blinkLeft: number, blinkRight: number, gazeLeft: EyeGaze, gazeRight: EyeGaze, out: Float32Array): void {
  const B = expressionBasis();
  const n3 = VERTEX_COUNT * 3;
  out.set(actor.neutral);
  for (let k = 0; k < EXPRESSION_COUNT; k++) {
    const e = expression[k]!;
    if (e === 0) continue;
    const o = k * n3;
    for (let j = 0; j < n3; j++) out[j] = out[j]! + e * B[o + j]!;
  }
  if (blinkLeft !== 0) for (let j = 0; j < n3; j++) out[j] = out[j]! + blinkLeft * actor.blinkLeft[j]!;
  if (blinkRight !== 0) for (let j = 0; j < n3; j++) out[j] = out[j]! + blinkRight * actor.blinkRight[j]!;
  rotateIris(actor.neutral, LEFT_EYE.iris, actor.eyeCentreLeft, gazeLeft, out);
  rotateIris(actor.neutral, RIGHT_EYE.iris, actor.eyeCentreRight, gazeRight, out);
}

export function rotateIris(neutral: Float32Array, iris: readonly number[], c: Float64Array, gaze: EyeGaze, out: Float32Array): void {
  const cy = Math.cos(gaze.yaw * DEG);
  const sy = Math.sin(gaze.yaw * DEG);
  const cp = Math.cos(-gaze.pitch * DEG);
  const sp = Math.sin(-gaze.pitch * DEG);
  for (let k = 0; k < iris.length; k++) {
    const v = iris[k]!;
    const x = neutral[3 * v]! - c[0]!;
    const y = neutral[3 * v + 1]! - c[1]!;
    const z = neutral[3 * v + 2]! - c[2]!;
    // Ry(yaw) * Rx(-pitch)
    const y1 = cp * y - sp * z;
    const z1 = sp * y + cp * z;
    out[3 * v] = c[0]! + cy * x + sy * z1;
    out[3 * v + 1] = c[1]! + y1;
    out[3 * v + 2] = c[2]! - sy * x + cy * z1;
  }
}

/** Camera-space positions and normals for the given parameters. */
export function evalFace(actor: ActorModel, params: FaceParams, out: FaceGeometry): FaceGeometry {
  evalLocalShape(actor, params.expression, params.blinkLeft, params.blinkRight, params.gazeLeft, params.gazeRight, out.local);
  const R = rotationFromEuler(params.yaw, params.pitch, params.roll, out.rotation);
  transformPoints(R, params.tx, params.ty, params.tz, out.local, out.positions, VERTEX_COUNT);
  computeNormals(out.positions, out.normals);
  // Iris points are not triangulated: their normal is the gaze direction (from the eye centre).
  irisNormals(actor.eyeCentreLeft, LEFT_EYE.iris, out);
  irisNormals(actor.eyeCentreRight, RIGHT_EYE.iris, out);
  return out;
}

export function transformPoints(R: ArrayLike<number>, tx: number, ty: number, tz: number, src: ArrayLike<number>, dst: Float32Array | Float64Array, count: number): void {
  for (let i = 0; i < count; i++) {
    const x = src[3 * i]!;
    const y = src[3 * i + 1]!;
    const z = src[3 * i + 2]!;
    dst[3 * i] = R[0]! * x + R[1]! * y + R[2]! * z + tx;
    dst[3 * i + 1] = R[3]! * x + R[4]! * y + R[5]! * z + ty;
    dst[3 * i + 2] = R[6]! * x + R[7]! * y + R[8]! * z + tz;
  }
}

/** Area-weighted vertex normals of the triangulated surface (counter-clockwise = front). */
export function computeNormals(positions: ArrayLike<number>, normals: Float32Array): void {
  normals.fill(0, 0, MESH_VERTEX_COUNT * 3);
  const T = TRIANGLES;
  for (let t = 0; t < T.length; t += 3) {
    const a = 3 * T[t]!;
    const b = 3 * T[t + 1]!;
    const c = 3 * T[t + 2]!;
    const e1x = positions[b]! - positions[a]!;
    const e1y = positions[b + 1]! - positions[a + 1]!;
    const e1z = positions[b + 2]! - positions[a + 2]!;
    const e2x = positions[c]! - positions[a]!;
    const e2y = positions[c + 1]! - positions[a + 1]!;
    const e2z = positions[c + 2]! - positions[a + 2]!;
    const nx = e1y * e2z - e1z * e2y;
    const ny = e1z * e2x - e1x * e2z;
    const nz = e1x * e2y - e1y * e2x;
    normals[a] = normals[a]! + nx;
    normals[a + 1] = normals[a + 1]! + ny;
    normals[a + 2] = normals[a + 2]! + nz;
    normals[b] = normals[b]! + nx;
    normals[b + 1] = normals[b + 1]! + ny;
    normals[b + 2] = normals[b + 2]! + nz;
    normals[c] = normals[c]! + nx;
    normals[c + 1] = normals[c + 1]! + ny;
    normals[c + 2] = normals[c + 2]! + nz;
  }
  for (let i = 0; i < MESH_VERTEX_COUNT; i++) {
    const x = normals[3 * i]!;
    const y = normals[3 * i + 1]!;
    const z = normals[3 * i + 2]!;
    const l = Math.hypot(x, y, z) || 1;
    normals[3 * i] = x / l;
    normals[3 * i + 1] = y / l;
    normals[3 * i + 2] = z / l;
  }
}

function irisNormals(centre: Float64Array, iris: readonly number[], g: FaceGeometry): void {
  const R = g.rotation;
  const v = iris[0]!;
  const dx = g.local[3 * v]! - centre[0]!;
  const dy = g.local[3 * v + 1]! - centre[1]!;
  const dz = g.local[3 * v + 2]! - centre[2]!;
  const l = Math.hypot(dx, dy, dz) || 1;
  const nx = (R[0]! * dx + R[1]! * dy + R[2]! * dz) / l;
  const ny = (R[3]! * dx + R[4]! * dy + R[5]! * dz) / l;
  const nz = (R[6]! * dx + R[7]! * dy + R[8]! * dz) / l;
  for (const i of iris) {
    g.normals[3 * i] = nx;
    g.normals[3 * i + 1] = ny;
    g.normals[3 * i + 2] = nz;
  }
}
