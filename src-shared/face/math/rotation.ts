/**
 * Rotations used by the model. Matrices are row-major 3x3 in a Float64Array(9).
 * Standard right-handed axis rotations composed as R = Ry(yaw) Rx(pitch) Rz(roll) — the same
 * as three.js Euler order 'YXZ', so the viewport reproduces evalFace exactly.
 * In the model frame (x = subject's left, y = up, z = toward the camera): positive yaw turns
 * the face toward the subject's left (image right); positive pitch rotates +y toward +z, i.e.
 * the face nods DOWN; positive roll rotates +x toward +y (subject's left side goes up).
 */
const DEG = Math.PI / 180;

export function rotationFromEuler(yawDeg: number, pitchDeg: number, rollDeg: number, out: Float64Array): Float64Array {
  const cy = Math.cos(yawDeg * DEG);
  const sy = Math.sin(yawDeg * DEG);
  const cp = Math.cos(pitchDeg * DEG);
  const sp = Math.sin(pitchDeg * DEG);
  const cr = Math.cos(rollDeg * DEG);
  const sr = Math.sin(rollDeg * DEG);
  // Ry*Rx*Rz expanded.
  out[0] = cy * cr + sy * sp * sr;
  out[1] = -cy * sr + sy * sp * cr;
  out[2] = sy * cp;
  out[3] = cp * sr;
  out[4] = cp * cr;
  out[5] = -sp;
  out[6] = -sy * cr + cy * sp * sr;
  out[7] = sy * sr + cy * sp * cr;
  out[8] = cy * cp;
  return out;
}

/** Inverse of rotationFromEuler (pitch in -90..90). Writes [yaw, pitch, roll] degrees. */
export function eulerFromRotation(R: ArrayLike<number>, out: Float64Array | number[]): void {
  const sp = Math.max(-1, Math.min(1, -R[5]!));
  out[1] = Math.asin(sp) / DEG;
  out[0] = Math.atan2(R[2]!, R[8]!) / DEG;
  out[2] = Math.atan2(R[3]!, R[4]!) / DEG;
}

/** R <- exp([w]x) R (left-multiplied small rotation, Rodrigues). */
export function applyRotationUpdate(R: Float64Array, wx: number, wy: number, wz: number, tmp: Float64Array): void {
  const th = Math.hypot(wx, wy, wz);
  let a: number;
  let b: number;
  if (th < 1e-12) {
    a = 1;
    b = 0.5;
  } else {
    a = Math.sin(th) / th;
    b = (1 - Math.cos(th)) / (th * th);
  }
  // E = I + a K + b K^2, K = [w]x
  const k00 = -(wy * wy + wz * wz);
  const k11 = -(wx * wx + wz * wz);
  const k22 = -(wx * wx + wy * wy);
  const e0 = 1 + b * k00;
  const e1 = -a * wz + b * wx * wy;
  const e2 = a * wy + b * wx * wz;
  const e3 = a * wz + b * wx * wy;
  const e4 = 1 + b * k11;
  const e5 = -a * wx + b * wy * wz;
  const e6 = -a * wy + b * wx * wz;
  const e7 = a * wx + b * wy * wz;
  const e8 = 1 + b * k22;
  for (let c = 0; c < 3; c++) {
    const r0 = R[c]!;
    const r1 = R[3 + c]!;
    const r2 = R[6 + c]!;
    tmp[c] = e0 * r0 + e1 * r1 + e2 * r2;
    tmp[3 + c] = e3 * r0 + e4 * r1 + e5 * r2;
    tmp[6 + c] = e6 * r0 + e7 * r1 + e8 * r2;
  }
  for (let i = 0; i < 9; i++) R[i] = tmp[i]!;
}

/** Angle in degrees between two rotations. */
export function rotationDistanceDeg(A: ArrayLike<number>, B: ArrayLike<number>): number {
  let tr = 0;
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) tr += A[3 * r + c]! * B[3 * r + c]!;
  return Math.acos(Math.max(-1, Math.min(1, (tr - 1) / 2))) / DEG;
}
