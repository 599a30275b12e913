import { EXPRESSION_COUNT, SH_COEFFS, neutralParams, type FaceParams } from '../../face/params.js';
import { CHANNEL_COUNT, EXPR_OFFSET } from './declarations.js';

/**
 * FaceParams <-> a flat channel vector in CHANNELS order. The order of the fixed channels
 * below must match declarations.ts; the channels test checks the round trip.
 */

export function paramsToChannels(p: FaceParams, out: Float32Array = new Float32Array(CHANNEL_COUNT)): Float32Array {
  out[0] = p.yaw;
  out[1] = p.pitch;
  out[2] = p.roll;
  out[3] = p.tx;
  out[4] = p.ty;
  out[5] = p.tz;
  out[6] = p.gazeLeft.yaw;
  out[7] = p.gazeLeft.pitch;
  out[8] = p.gazeRight.yaw;
  out[9] = p.gazeRight.pitch;
  out[10] = p.blinkLeft;
  out[11] = p.blinkRight;
  for (let k = 0; k < EXPRESSION_COUNT; k++) out[EXPR_OFFSET + k] = p.expression[k] ?? 0;
  return out;
}

/**
 * Writes a channel vector (read at `offset` with `stride`, so it can read a frame out of a
 * frame-major or channel-major buffer) into `out`, reusing its arrays.
 */
export function channelsToParams(
  values: ArrayLike<number>,
  out: FaceParams = neutralParams(),
  offset = 0,
  stride = 1,
): FaceParams {
  const v = (c: number): number => values[offset + c * stride] ?? 0;
  out.yaw = v(0);
  out.pitch = v(1);
  out.roll = v(2);
  out.tx = v(3);
  out.ty = v(4);
  out.tz = v(5);
  out.gazeLeft.yaw = v(6);
  out.gazeLeft.pitch = v(7);
  out.gazeRight.yaw = v(8);
  out.gazeRight.pitch = v(9);
  out.blinkLeft = v(10);
  out.blinkRight = v(11);
  for (let k = 0; k < EXPRESSION_COUNT; k++) out.expression[k] = v(EXPR_OFFSET + k);
  return out;
}

/** Copies one frame of SH out of a frame-major SH track, or neutral light when there is none. */
export function writeSh(out: Float32Array, sh: Float32Array | undefined, frame: number): void {
  if (sh && sh.length >= (frame + 1) * SH_COEFFS) {
    out.set(sh.subarray(frame * SH_COEFFS, (frame + 1) * SH_COEFFS));
  } else {
    out.fill(0);
    out[0] = out[1] = out[2] = 1;
  }
}
