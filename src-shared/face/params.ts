/**
 * The per-frame face parameters: the record the tracker writes, the timeline edits and the
 * conditioning renderer consumes. Per-actor quantities (identity shape, albedo) live in
 * ActorModel, not here: they are estimated once and frozen, as in Deep Video Portraits.
 */

/**
 * Semantic expression controls, named after ARKit blendshapes (the convention users know).
 * The order is the storage order of FaceParams.expression; append only, never reorder
 * (tracks on disk are stored in this order).
 */
export const EXPRESSION_CONTROLS = [
  'jawOpen',
  'jawLeft',
  'jawRight',
  'jawForward',
  'mouthClose',
  'mouthSmileLeft',
  'mouthSmileRight',
  'mouthFrownLeft',
  'mouthFrownRight',
  'mouthPucker',
  'mouthFunnel',
  'mouthLeft',
  'mouthRight',
  'mouthStretchLeft',
  'mouthStretchRight',
  'mouthPressLeft',
  'mouthPressRight',
  'mouthRollLower',
  'mouthRollUpper',
  'mouthShrugLower',
  'mouthShrugUpper',
  'mouthUpperUpLeft',
  'mouthUpperUpRight',
  'mouthLowerDownLeft',
  'mouthLowerDownRight',
  'browInnerUp',
  'browDownLeft',
  'browDownRight',
  'browOuterUpLeft',
  'browOuterUpRight',
  'cheekPuff',
  'cheekSquintLeft',
  'cheekSquintRight',
  'eyeSquintLeft',
  'eyeSquintRight',
  'eyeWideLeft',
  'eyeWideRight',
  'noseSneerLeft',
  'noseSneerRight',
] as const;
export type ExpressionControl = (typeof EXPRESSION_CONTROLS)[number];
export const EXPRESSION_COUNT = EXPRESSION_CONTROLS.length;

/** 9 SH coefficients (bands 0..2) per colour channel, RGB-interleaved by coefficient: [c0r,c0g,c0b, c1r,...]. */
export const SH_COEFFS = 27;

export interface EyeGaze {
  /** Degrees; positive looks to the subject's left (image right for a frontal face). */
  yaw: number;
  /** Degrees; positive looks up. */
  pitch: number;
}

/** The rigid head pose: what smoothing, the conditioning camera and plain pose records share. */
export interface HeadPose {
  /** Head rotation in degrees, applied as R = Ry(yaw) * Rx(pitch) * Rz(roll). */
  yaw: number;
  pitch: number;
  roll: number;
  /** Head translation in camera space, millimetres; camera looks down -z (tz < 0 in front). */
  tx: number;
  ty: number;
  tz: number;
}

export interface FaceParams extends HeadPose {
  /** Expression control weights in EXPRESSION_CONTROLS order, nominally 0..1. */
  expression: Float32Array;
  gazeLeft: EyeGaze;
  gazeRight: EyeGaze;
  /** 0 = open, 1 = closed. */
  blinkLeft: number;
  blinkRight: number;
  /** SH lighting, SH_COEFFS values. */
  sh: Float32Array;
}

/** Pinhole camera fixed per video: focal length in pixels of the full frame, principal point at centre. */
export interface CameraIntrinsics {
  focalPx: number;
  width: number;
  height: number;
}

export function neutralParams(): FaceParams {
  const sh = new Float32Array(SH_COEFFS);
  // Ambient-only white light: band-0 coefficient that gives unit irradiance.
  sh[0] = sh[1] = sh[2] = 1;
  return {
    yaw: 0,
    pitch: 0,
    roll: 0,
    tx: 0,
    ty: 0,
    tz: -600,
    expression: new Float32Array(EXPRESSION_COUNT),
    gazeLeft: { yaw: 0, pitch: 0 },
    gazeRight: { yaw: 0, pitch: 0 },
    blinkLeft: 0,
    blinkRight: 0,
    sh,
  };
}

/**
 * Copies every field of `p` into `into` (reusing its typed arrays: no allocation but the gaze
 * pairs) or into new parameters; the copy shares nothing with `p`. Walks the fields, so a field
 * added to FaceParams is copied without a change here.
 */
export function copyParams(p: FaceParams, into: FaceParams = neutralParams()): FaceParams {
  const out = into as unknown as Record<string, unknown>;
  for (const [k, v] of Object.entries(p) as Array<[string, unknown]>) {
    if (v instanceof Float32Array) (out[k] as Float32Array).set(v);
    else if (typeof v === 'object' && v !== null) out[k] = { ...v };
    else out[k] = v;
  }
  return into;
}
