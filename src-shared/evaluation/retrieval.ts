import { EXPRESSION_COUNT, type FaceParams } from '../face/params.js';

/**
 * Predictors that use no network, for the baselines a sceptic names first: the mean of the
 * training crops, the training frame whose tracked parameters are nearest, and the oracle
 * training frame nearest in pixels (it peeks at the answer, so it bounds any retrieval).
 */

/** Scales that make one unit of each parameter group comparable: 5 deg of head pose ~ 5 mm ~ 0.2 of an expression ~ 5 deg of gaze ~ 0.25 of a blink. */
const POSE_DEG = 5;
const TRANS_MM = 5;
const EXPR = 0.2;
const GAZE_DEG = 5;
const BLINK = 0.25;

export const PARAM_VECTOR_LENGTH = 6 + EXPRESSION_COUNT + 4 + 2;

/** The conditioning-relevant parameters as one weighted vector (lighting excluded: it is the same light). */
export function paramVector(p: FaceParams, out = new Float32Array(PARAM_VECTOR_LENGTH)): Float32Array {
  out[0] = p.yaw / POSE_DEG;
  out[1] = p.pitch / POSE_DEG;
  out[2] = p.roll / POSE_DEG;
  out[3] = p.tx / TRANS_MM;
  out[4] = p.ty / TRANS_MM;
  out[5] = p.tz / TRANS_MM;
  for (let i = 0; i < EXPRESSION_COUNT; i++) out[6 + i] = p.expression[i]! / EXPR;
  let k = 6 + EXPRESSION_COUNT;
  out[k++] = p.gazeLeft.yaw / GAZE_DEG;
  out[k++] = p.gazeLeft.pitch / GAZE_DEG;
  out[k++] = p.gazeRight.yaw / GAZE_DEG;
  out[k++] = p.gazeRight.pitch / GAZE_DEG;
  out[k++] = p.blinkLeft / BLINK;
  out[k] = p.blinkRight / BLINK;
  return out;
}

/** Index into `candidates` of the vector nearest (squared Euclidean) to `query`. */
export function nearestVector(candidates: readonly Float32Array[], query: Float32Array): number {
  let best = -1;
  let bestD = Infinity;
  for (let c = 0; c < candidates.length; c++) {
    const v = candidates[c]!;
    let d = 0;
    for (let i = 0; i < query.length && d < bestD; i++) {
      const e = v[i]! - query[i]!;
      d += e * e;
    }
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/** Index of the image nearest to `target` in summed squared error (early exit once worse). */
export function nearestImage(candidates: readonly Uint8Array[], target: Uint8Array): number {
  let best = -1;
  let bestD = Infinity;
  const n = target.length;
  for (let c = 0; c < candidates.length; c++) {
    const img = candidates[c]!;
    let d = 0;
    for (let i = 0; i < n; i++) {
      const e = img[i]! - target[i]!;
      d += e * e;
      if ((i & 1023) === 1023 && d >= bestD) break;
    }
    if (d < bestD) {
      bestD = d;
      best = c;
    }
  }
  return best;
}

/** Per-pixel mean of RGB8 images, rounded. */
export function meanImage(images: readonly Uint8Array[]): Uint8Array {
  const n = images[0]?.length ?? 0;
  const acc = new Float64Array(n);
  for (const img of images) for (let i = 0; i < n; i++) acc[i] = acc[i]! + img[i]!;
  const out = new Uint8Array(n);
  const k = Math.max(1, images.length);
  for (let i = 0; i < n; i++) out[i] = Math.round(acc[i]! / k);
  return out;
}
