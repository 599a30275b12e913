/**
 * Per-actor quantities, estimated once per video and frozen (Deep Video Portraits): the
 * identity neutral shape and per-vertex albedo, plus what derives from the neutral shape —
 * the blink fields (upper lids closing onto this actor's lower lids) and the eyeball centres.
 */
import { CANONICAL_POSITIONS, EYEBALL_RADIUS_MM, LEFT_EYE, RIGHT_EYE, VERTEX_COUNT, REGIONS, type EyeLandmarks } from '../topology.js';

export interface ActorModel {
  /** Neutral shape, VERTEX_COUNT x 3, mm, model frame (x = subject's left, y up, z out). */
  neutral: Float32Array;
  /** Linear RGB albedo 0..1, VERTEX_COUNT x 3. */
  albedo: Float32Array;
  /** Displacement fields at blink = 1 (derived from neutral). */
  blinkLeft: Float32Array;
  blinkRight: Float32Array;
  /** Eyeball rotation centres in the model frame (derived from neutral). */
  eyeCentreLeft: Float64Array;
  eyeCentreRight: Float64Array;
}

/** Skin-ish mid grey used until the photometric step has estimated an albedo. */
export const DEFAULT_ALBEDO: readonly [number, number, number] = [0.7, 0.55, 0.48];

export function createActorModel(neutral: Float32Array = CANONICAL_POSITIONS, albedo?: Float32Array): ActorModel {
  if (neutral.length !== VERTEX_COUNT * 3) throw new RangeError(`neutral must have ${VERTEX_COUNT * 3} values`);
  const alb = albedo ?? new Float32Array(VERTEX_COUNT * 3);
  if (!albedo) for (let i = 0; i < VERTEX_COUNT; i++) alb.set(DEFAULT_ALBEDO, 3 * i);
  const shape = new Float32Array(neutral);
  return {
    neutral: shape,
    albedo: alb,
    blinkLeft: buildBlinkField(shape, LEFT_EYE, REGIONS.leftEyeUpper1),
    blinkRight: buildBlinkField(shape, RIGHT_EYE, REGIONS.rightEyeUpper1),
    eyeCentreLeft: eyeCentre(shape, LEFT_EYE),
    eyeCentreRight: eyeCentre(shape, RIGHT_EYE),
  };
}

/** Replace the neutral shape (after identity estimation), re-deriving the dependent fields. */
export function withNeutral(actor: ActorModel, neutral: Float32Array): ActorModel {
  return createActorModel(neutral, actor.albedo);
}

function eyeCentre(P: Float32Array, eye: EyeLandmarks): Float64Array {
  const c = eye.iris[0]!;
  return Float64Array.of(P[3 * c]!, P[3 * c + 1]!, P[3 * c + 2]! - EYEBALL_RADIUS_MM);
}

/**
 * Blink: each upper-lid vertex (Upper0, corners excluded) moves onto the lower lid at the same
 * position along the corner-to-corner axis (the lower lid polyline interpolated there); the
 * crease row (Upper1) follows its nearest Upper0 vertex at half the displacement.
 */
function buildBlinkField(P: Float32Array, eye: EyeLandmarks, crease: readonly number[]): Float32Array {
  const d = new Float32Array(VERTEX_COUNT * 3);
  const a = eye.outer;
  const b = eye.inner;
  const ax = P[3 * b]! - P[3 * a]!;
  const ay = P[3 * b + 1]! - P[3 * a + 1]!;
  const az = P[3 * b + 2]! - P[3 * a + 2]!;
  const len2 = ax * ax + ay * ay + az * az;
  const param = (v: number) => ((P[3 * v]! - P[3 * a]!) * ax + (P[3 * v + 1]! - P[3 * a + 1]!) * ay + (P[3 * v + 2]! - P[3 * a + 2]!) * az) / len2;
  const lower = [...eye.lower].sort((u, v) => param(u) - param(v));
  for (const v of eye.upper) {
    const t = param(v);
    let k = 0;
    while (k < lower.length - 2 && param(lower[k + 1]!) < t) k++;
    const u0 = lower[k]!;
    const u1 = lower[k + 1]!;
    const t0 = param(u0);
    const t1 = param(u1);
    const s = Math.max(0, Math.min(1, (t - t0) / (t1 - t0 || 1)));
    for (let c = 0; c < 3; c++) d[3 * v + c] = (1 - s) * P[3 * u0 + c]! + s * P[3 * u1 + c]! - P[3 * v + c]!;
  }
  for (const v of crease) {
    let best = eye.upper[0]!;
    let bd = Infinity;
    for (const u of eye.upper) {
      const dd = (P[3 * u]! - P[3 * v]!) ** 2 + (P[3 * u + 1]! - P[3 * v + 1]!) ** 2;
      if (dd < bd) {
        bd = dd;
        best = u;
      }
    }
    for (let c = 0; c < 3; c++) d[3 * v + c] = 0.5 * d[3 * best + c]!;
  }
  return d;
}
