import type { Rng } from '../train/rng.js';
import type { ParamSpec } from './params.js';

/**
 * Weight init std. The paper writes N(0, 0.2); pix2pix, whose generator and discriminator
 * the paper adopts, uses N(0, 0.02). We use 0.02: with 0.2 the first layer (fan-in
 * 4*4*99 = 1584) has a gain of 0.2*sqrt(1584) ~ 8, so the un-normalised first conv and the
 * tanh output saturate from step 0 and the L1 term's gradient vanishes; 0.02 (gain ~0.8)
 * is the value known to train, and we read the paper's 0.2 as a typo of it.
 */
export const INIT_STD = 0.02;

/** BatchNorm scale ~ N(1, 0.02), shift 0, as in pix2pix. */
export function initParam(spec: ParamSpec, rng: Rng): Float32Array {
  const n = spec.shape.reduce((a, b) => a * b, 1);
  const v = new Float32Array(n);
  if (spec.init === 'conv') rng.fillNormal(v, 0, INIT_STD);
  else if (spec.init === 'gamma') rng.fillNormal(v, 1, INIT_STD);
  return v;
}
