/**
 * Rigid head pose as FaceParams defines it: R = Ry(yaw) * Rx(pitch) * Rz(roll) (degrees),
 * p_cam = R * p_model + t. A fallback for meshes that are not posed by the face model
 * (synthetic test heads); the face model's own evaluation supersedes it for real faces.
 */
import { rotationFromEuler } from '../face/math/rotation.js';
import type { HeadPose } from '../face/params.js';

/** The head pose the conditioning camera is placed from (FaceParams has it). */
export type Pose = HeadPose;

/** Row-major 3x3 rotation into out[0..8]: the face model's one Euler convention. */
export function poseRotation(pose: Pose, out: Float64Array): void {
  rotationFromEuler(pose.yaw, pose.pitch, pose.roll, out);
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
