/**
 * Control fidelity of a renderer (the field's APD / AED / AKD, plus gaze and blink): the
 * synthesized frame is tracked again and the *measured* parameters are compared with the
 * *requested* ones that conditioned it. Pure: the re-tracking itself lives in
 * src-main/services/evaluation/retrack.ts.
 *
 * Conventions (see src-shared/face): head rotation R = Ry(yaw) Rx(pitch) Rz(roll) in degrees;
 * gaze is per eye, relative to the head (the conditioning renderer draws it so), as the
 * direction Ry(yaw) Rx(-pitch) (0, 0, 1); blink 0 = open, 1 = closed.
 */
import {
  createFaceGeometry,
  evalFace,
  project,
  rotationDistanceDeg,
  rotationFromEuler,
  EXPRESSION_CONTROLS,
  EXPRESSION_COUNT,
  LEFT_EYE,
  MESH_VERTEX_COUNT,
  RIGHT_EYE,
  VERTEX_COUNT,
  type ActorModel,
  type CameraIntrinsics,
  type EyeGaze,
  type FaceGeometry,
  type FaceParams,
} from '../face/index.js';

export interface ControlError {
  /** Angle of the relative rotation R_measured R_requested^T, degrees (>= 0). */
  poseDeg: number;
  /** Signed measured - requested Euler angles, degrees, wrapped to (-180, 180]. */
  yawDeg: number;
  pitchDeg: number;
  rollDeg: number;
  /** Mean |measured - requested| over the EXPRESSION_COUNT expression coefficients. */
  expressionL1: number;
  /** Signed measured - requested jawOpen (the expression most visible in a render). */
  jawOpenErr: number;
  /** Mean over both eyes of the angle between the measured and requested gaze directions, degrees. */
  gazeDeg: number;
  /** Fraction of the two eyes (0, 0.5 or 1) whose open/closed state agrees: (measured > 0.5) === (requested > 0.5). */
  blinkAgree: number;
  /**
   * Mean 2D distance between the 468 surface vertices projected with the measured and with the
   * requested parameters (same actor, same camera), divided by the outer-eye-corner distance
   * (LEFT_EYE.outer - RIGHT_EYE.outer, as the fitter's normalizedError) of the requested
   * projection. The field's AKD, made scale-free.
   */
  landmarkIod: number;
}

const JAW_OPEN = EXPRESSION_CONTROLS.indexOf('jawOpen');
const DEG = Math.PI / 180;

/** Reused between calls (synchronous, so no caller can interleave). */
let scratch: { ra: Float64Array; rb: Float64Array; ga: FaceGeometry; gb: FaceGeometry; pa: Float32Array; pb: Float32Array } | null = null;

function wrapDeg(d: number): number {
  const w = ((((d + 180) % 360) + 360) % 360) - 180;
  return w === -180 ? 180 : w;
}

function gazeDir(g: EyeGaze, out: Float64Array): void {
  const cp = Math.cos(g.pitch * DEG);
  out[0] = Math.sin(g.yaw * DEG) * cp;
  out[1] = Math.sin(g.pitch * DEG);
  out[2] = Math.cos(g.yaw * DEG) * cp;
}

const da = new Float64Array(3);
const db = new Float64Array(3);

/** Angle between two gaze directions, degrees. */
export function gazeAngleDeg(a: EyeGaze, b: EyeGaze): number {
  gazeDir(a, da);
  gazeDir(b, db);
  // atan2 of |cross| and dot: accurate for small angles, unlike acos(dot).
  const cx = da[1]! * db[2]! - da[2]! * db[1]!;
  const cy = da[2]! * db[0]! - da[0]! * db[2]!;
  const cz = da[0]! * db[1]! - da[1]! * db[0]!;
  const dot = da[0]! * db[0]! + da[1]! * db[1]! + da[2]! * db[2]!;
  return Math.atan2(Math.hypot(cx, cy, cz), dot) / DEG;
}

/** Per-frame control error of `measured` (re-tracked) against `requested` (conditioning) parameters. */
export function controlError(measured: FaceParams, requested: FaceParams, actor: ActorModel, camera: CameraIntrinsics): ControlError {
  scratch ??= {
    ra: new Float64Array(9),
    rb: new Float64Array(9),
    ga: createFaceGeometry(),
    gb: createFaceGeometry(),
    pa: new Float32Array(VERTEX_COUNT * 2),
    pb: new Float32Array(VERTEX_COUNT * 2),
  };
  const s = scratch;
  rotationFromEuler(measured.yaw, measured.pitch, measured.roll, s.ra);
  rotationFromEuler(requested.yaw, requested.pitch, requested.roll, s.rb);
  const poseDeg = rotationDistanceDeg(s.ra, s.rb);

  let l1 = 0;
  for (let k = 0; k < EXPRESSION_COUNT; k++) l1 += Math.abs(measured.expression[k]! - requested.expression[k]!);

  const gazeDeg = (gazeAngleDeg(measured.gazeLeft, requested.gazeLeft) + gazeAngleDeg(measured.gazeRight, requested.gazeRight)) / 2;
  const blinkAgree =
    (Number(measured.blinkLeft > 0.5 === requested.blinkLeft > 0.5) + Number(measured.blinkRight > 0.5 === requested.blinkRight > 0.5)) / 2;

  evalFace(actor, measured, s.ga);
  evalFace(actor, requested, s.gb);
  project(camera, s.ga.positions, s.pa, MESH_VERTEX_COUNT);
  project(camera, s.gb.positions, s.pb, MESH_VERTEX_COUNT);
  let d = 0;
  for (let i = 0; i < MESH_VERTEX_COUNT; i++) d += Math.hypot(s.pa[2 * i]! - s.pb[2 * i]!, s.pa[2 * i + 1]! - s.pb[2 * i + 1]!);
  const lo = LEFT_EYE.outer;
  const ro = RIGHT_EYE.outer;
  const iod = Math.hypot(s.pb[2 * lo]! - s.pb[2 * ro]!, s.pb[2 * lo + 1]! - s.pb[2 * ro + 1]!);

  return {
    poseDeg,
    yawDeg: wrapDeg(measured.yaw - requested.yaw),
    pitchDeg: wrapDeg(measured.pitch - requested.pitch),
    rollDeg: wrapDeg(measured.roll - requested.roll),
    expressionL1: l1 / EXPRESSION_COUNT,
    jawOpenErr: measured.expression[JAW_OPEN]! - requested.expression[JAW_OPEN]!,
    gazeDeg,
    blinkAgree,
    landmarkIod: d / MESH_VERTEX_COUNT / Math.max(iod, 1e-6),
  };
}

export interface MeanMedian {
  mean: number;
  median: number;
}

export interface ControlSummary {
  /** Frames summarised (frames where re-tracking found no face are the caller's to count). */
  frames: number;
  /** Head pose error (the field's APD), degrees. */
  poseDeg: MeanMedian & { p95: number };
  /** Mean |signed error| per Euler angle, degrees. */
  yawAbsDeg: number;
  pitchAbsDeg: number;
  rollAbsDeg: number;
  /** Gaze direction error, degrees. */
  gazeDeg: MeanMedian;
  /** Fraction of eyes whose open/closed state agrees. */
  blinkAccuracy: number;
  /** Expression error (the field's AED): mean |coefficient difference|. */
  expressionL1: MeanMedian;
  /** Mean |jawOpen error| and mean signed jawOpen error (positive = the render opens more than asked). */
  jawOpenAbs: number;
  jawOpenBias: number;
  /** Landmark error (the field's AKD) in inter-ocular distances. */
  landmarkIod: MeanMedian;
}

function mean(v: readonly number[]): number {
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : Number.NaN;
}

function quantile(v: readonly number[], q: number): number {
  if (!v.length) return Number.NaN;
  const s = [...v].sort((a, b) => a - b);
  const x = q * (s.length - 1);
  const i = Math.floor(x);
  const j = Math.min(s.length - 1, i + 1);
  return s[i]! + (s[j]! - s[i]!) * (x - i);
}

function mm(v: readonly number[]): MeanMedian {
  return { mean: mean(v), median: quantile(v, 0.5) };
}

/** Means and medians over frames; every figure is NaN for an empty list. */
export function summarizeControl(errors: readonly ControlError[]): ControlSummary {
  const pose = errors.map((e) => e.poseDeg);
  return {
    frames: errors.length,
    poseDeg: { ...mm(pose), p95: quantile(pose, 0.95) },
    yawAbsDeg: mean(errors.map((e) => Math.abs(e.yawDeg))),
    pitchAbsDeg: mean(errors.map((e) => Math.abs(e.pitchDeg))),
    rollAbsDeg: mean(errors.map((e) => Math.abs(e.rollDeg))),
    gazeDeg: mm(errors.map((e) => e.gazeDeg)),
    blinkAccuracy: mean(errors.map((e) => e.blinkAgree)),
    expressionL1: mm(errors.map((e) => e.expressionL1)),
    jawOpenAbs: mean(errors.map((e) => Math.abs(e.jawOpenErr))),
    jawOpenBias: mean(errors.map((e) => e.jawOpenErr)),
    landmarkIod: mm(errors.map((e) => e.landmarkIod)),
  };
}
