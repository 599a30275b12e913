/**
 * Similarity alignment (Horn's quaternion method): finds s, R, c minimising
 * sum_i w_i |dst_i - (s R src_i + c)|^2. Used to initialise the pose from the detector's 3D
 * mesh. Allocation-free given a workspace.
 */
export interface AlignResult {
  R: Float64Array;
  scale: number;
  /** Translation c (dst units). */
  c: Float64Array;
}

export function createAlignResult(): AlignResult {
  return { R: new Float64Array(9), scale: 1, c: new Float64Array(3) };
}

const S = new Float64Array(9);
const Nm = new Float64Array(16);
const q = new Float64Array(4);
const nq = new Float64Array(4);

export function alignSimilarity(src: ArrayLike<number>, dst: ArrayLike<number>, count: number, out: AlignResult, weights?: ArrayLike<number>): AlignResult {
  let W = 0;
  let sx = 0, sy = 0, sz = 0, dx = 0, dy = 0, dz = 0;
  for (let i = 0; i < count; i++) {
    const w = weights ? weights[i]! : 1;
    W += w;
    sx += w * src[3 * i]!;
    sy += w * src[3 * i + 1]!;
    sz += w * src[3 * i + 2]!;
    dx += w * dst[3 * i]!;
    dy += w * dst[3 * i + 1]!;
    dz += w * dst[3 * i + 2]!;
  }
  sx /= W; sy /= W; sz /= W; dx /= W; dy /= W; dz /= W;
  S.fill(0);
  let ns = 0;
  let nd = 0;
  for (let i = 0; i < count; i++) {
    const w = weights ? weights[i]! : 1;
    const a0 = src[3 * i]! - sx, a1 = src[3 * i + 1]! - sy, a2 = src[3 * i + 2]! - sz;
    const b0 = dst[3 * i]! - dx, b1 = dst[3 * i + 1]! - dy, b2 = dst[3 * i + 2]! - dz;
    S[0] = S[0]! + w * a0 * b0; S[1] = S[1]! + w * a0 * b1; S[2] = S[2]! + w * a0 * b2;
    S[3] = S[3]! + w * a1 * b0; S[4] = S[4]! + w * a1 * b1; S[5] = S[5]! + w * a1 * b2;
    S[6] = S[6]! + w * a2 * b0; S[7] = S[7]! + w * a2 * b1; S[8] = S[8]! + w * a2 * b2;
    ns += w * (a0 * a0 + a1 * a1 + a2 * a2);
    nd += w * (b0 * b0 + b1 * b1 + b2 * b2);
  }
  const xx = S[0]!, xy = S[1]!, xz = S[2]!, yx = S[3]!, yy = S[4]!, yz = S[5]!, zx = S[6]!, zy = S[7]!, zz = S[8]!;
  Nm[0] = xx + yy + zz; Nm[1] = yz - zy; Nm[2] = zx - xz; Nm[3] = xy - yx;
  Nm[4] = yz - zy; Nm[5] = xx - yy - zz; Nm[6] = xy + yx; Nm[7] = zx + xz;
  Nm[8] = zx - xz; Nm[9] = xy + yx; Nm[10] = -xx + yy - zz; Nm[11] = yz + zy;
  Nm[12] = xy - yx; Nm[13] = zx + xz; Nm[14] = yz + zy; Nm[15] = -xx - yy + zz;
  // Power iteration on the shifted (positive) matrix converges to the top eigenvector = the quaternion.
  let shift = 0;
  for (let i = 0; i < 9; i++) shift += Math.abs(S[i]!);
  for (let i = 0; i < 4; i++) Nm[5 * i] = Nm[5 * i]! + shift;
  q[0] = 1; q[1] = 0.01; q[2] = 0.01; q[3] = 0.01;
  for (let it = 0; it < 200; it++) {
    let n = 0;
    for (let r = 0; r < 4; r++) {
      let s = 0;
      for (let c = 0; c < 4; c++) s += Nm[4 * r + c]! * q[c]!;
      nq[r] = s;
      n += s * s;
    }
    n = Math.sqrt(n);
    for (let r = 0; r < 4; r++) q[r] = nq[r]! / n;
  }
  const w = q[0]!, x = q[1]!, y = q[2]!, z = q[3]!;
  const R = out.R;
  R[0] = w * w + x * x - y * y - z * z; R[1] = 2 * (x * y - w * z); R[2] = 2 * (x * z + w * y);
  R[3] = 2 * (x * y + w * z); R[4] = w * w - x * x + y * y - z * z; R[5] = 2 * (y * z - w * x);
  R[6] = 2 * (x * z - w * y); R[7] = 2 * (y * z + w * x); R[8] = w * w - x * x - y * y + z * z;
  // Scale: projection of dst on the rotated src (least squares).
  let dot = 0;
  for (let i = 0; i < count; i++) {
    const wi = weights ? weights[i]! : 1;
    const a0 = src[3 * i]! - sx, a1 = src[3 * i + 1]! - sy, a2 = src[3 * i + 2]! - sz;
    const b0 = dst[3 * i]! - dx, b1 = dst[3 * i + 1]! - dy, b2 = dst[3 * i + 2]! - dz;
    dot += wi * (b0 * (R[0]! * a0 + R[1]! * a1 + R[2]! * a2) + b1 * (R[3]! * a0 + R[4]! * a1 + R[5]! * a2) + b2 * (R[6]! * a0 + R[7]! * a1 + R[8]! * a2));
  }
  out.scale = ns > 0 ? dot / ns : Math.sqrt(nd / Math.max(ns, 1e-12));
  out.c[0] = dx - out.scale * (R[0]! * sx + R[1]! * sy + R[2]! * sz);
  out.c[1] = dy - out.scale * (R[3]! * sx + R[4]! * sy + R[5]! * sz);
  out.c[2] = dz - out.scale * (R[6]! * sx + R[7]! * sy + R[8]! * sz);
  return out;
}
