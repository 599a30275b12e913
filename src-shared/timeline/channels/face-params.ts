import { EXPRESSION_COUNT, SH_COEFFS, neutralParams, type FaceParams } from '../../face/params.js';
import { CHANNELS, CHANNEL_COUNT, EXPR_OFFSET } from './declarations.js';

// The table puts the expressions last, in FaceParams.expression order: that block is copied
// whole, and only the fixed channels go through their accessors (this runs per frame).
const FIXED = CHANNELS.slice(0, EXPR_OFFSET);
if (CHANNEL_COUNT !== EXPR_OFFSET + EXPRESSION_COUNT || CHANNELS.slice(EXPR_OFFSET).some((d) => d.group !== 'expression')) {
  throw new Error('the channel table must end with the expression block');
}

/** FaceParams -> a flat channel vector in CHANNELS order, written into `out` from `offset`. */
export function paramsToChannels(p: FaceParams, out: Float32Array = new Float32Array(CHANNEL_COUNT), offset = 0): Float32Array {
  for (let c = 0; c < EXPR_OFFSET; c++) out[offset + c] = FIXED[c]!.get(p);
  out.set(p.expression.subarray(0, EXPRESSION_COUNT), offset + EXPR_OFFSET);
  return out;
}

/**
 * Writes a channel vector (read at `offset` with `stride`, so it can read a frame out of a
 * frame-major or channel-major buffer) into `out`, reusing its arrays. Values beyond the end
 * of `values` read as 0.
 */
export function channelsToParams(
  values: ArrayLike<number>,
  out: FaceParams = neutralParams(),
  offset = 0,
  stride = 1,
): FaceParams {
  for (let c = 0; c < EXPR_OFFSET; c++) FIXED[c]!.set(out, values[offset + c * stride] ?? 0);
  const e0 = offset + EXPR_OFFSET * stride;
  if (stride === 1 && values instanceof Float32Array && e0 + EXPRESSION_COUNT <= values.length) {
    out.expression.set(values.subarray(e0, e0 + EXPRESSION_COUNT));
  } else {
    for (let k = 0; k < EXPRESSION_COUNT; k++) out.expression[k] = values[e0 + k * stride] ?? 0;
  }
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
