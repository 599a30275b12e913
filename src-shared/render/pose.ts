/**
 * Rigid head pose as FaceParams defines it: R = Ry(yaw) * Rx(pitch) * Rz(roll) (degrees),
 * p_cam = R * p_model + t. A fallback for meshes that are not posed by the face model
 * (synthetic test heads); the face model's own evaluation supersedes it for real faces.
 */
export interface Pose {
  yaw: number;
  pitch: number;
  roll: number;
  tx: number;
  ty: number;
  tz: number;
}

/** Row-major 3x3 rotation into out[0..8]. */
export function poseRotation(pose: Pose, out: Float64Array): void {
  const d = Math.PI / 180;
  const cy = Math.cos(pose.yaw * d), sy = Math.sin(pose.yaw * d);
  const cx = Math.cos(pose.pitch * d), sx = Math.sin(pose.pitch * d);
  const cz = Math.cos(pose.roll * d), sz = Math.sin(pose.roll * d);
  // Ry * Rx
  const a00 = cy, a01 = sy * sx, a02 = sy * cx;
  const a10 = 0, a11 = cx, a12 = -sx;
  const a20 = -sy, a21 = cy * sx, a22 = cy * cx;
  // (Ry * Rx) * Rz
  out[0] = a00 * cz + a01 * sz; out[1] = -a00 * sz + a01 * cz; out[2] = a02;
  out[3] = a10 * cz + a11 * sz; out[4] = -a10 * sz + a11 * cz; out[5] = a12;
  out[6] = a20 * cz + a21 * sz; out[7] = -a20 * sz + a21 * cz; out[8] = a22;
}

const R = new Float64Array(9);

/** Poses model-space points (and optionally normals, rotation only) into camera space. */
export function posePoints(
  pose: Pose,
  pos: Float32Array,
  count: number,
  outPos: Float32Array,
  normals?: Float32Array,
  outNormals?: Float32Array,
): void {
  poseRotation(pose, R);
  const r0 = R[0]!, r1 = R[1]!, r2 = R[2]!, r3 = R[3]!, r4 = R[4]!, r5 = R[5]!, r6 = R[6]!, r7 = R[7]!, r8 = R[8]!;
  for (let i = 0; i < 3 * count; i += 3) {
    const x = pos[i]!, y = pos[i + 1]!, z = pos[i + 2]!;
    outPos[i] = r0 * x + r1 * y + r2 * z + pose.tx;
    outPos[i + 1] = r3 * x + r4 * y + r5 * z + pose.ty;
    outPos[i + 2] = r6 * x + r7 * y + r8 * z + pose.tz;
  }
  if (normals && outNormals) {
    for (let i = 0; i < 3 * count; i += 3) {
      const x = normals[i]!, y = normals[i + 1]!, z = normals[i + 2]!;
      outNormals[i] = r0 * x + r1 * y + r2 * z;
      outNormals[i + 1] = r3 * x + r4 * y + r5 * z;
      outNormals[i + 2] = r6 * x + r7 * y + r8 * z;
    }
  }
}
