/**
 * Synthetic tracking evaluation: evaluate the model with known random parameters, add
 * Gaussian pixel noise to the landmarks, fit cold, and measure errors against ground truth.
 * Shared by the tests (thresholds) and bench/tracking-synthetic.bench.ts (report).
 */
import { EXPRESSION_COUNT, neutralParams, type CameraIntrinsics } from '../params.js';
import { MESH_VERTEX_COUNT, VERTEX_COUNT } from '../topology.js';
import { createActorModel, type ActorModel } from '../model/actor.js';
import { createFaceGeometry, evalFace } from '../model/eval.js';
import { project } from '../camera/project.js';
import { rotationDistanceDeg, rotationFromEuler } from '../math/rotation.js';
import { FrameFitter } from './frame-fit.js';
import { synthesizeLandmarks } from './landmarks.js';
import { gaussian, mulberry32, randomParams, type RandomParamsOptions } from './synthetic.js';

export interface Stats { mean: number; median: number; p95: number; max: number; min: number }

function stats(v: number[]): Stats {
  const s = [...v].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return { mean: s.reduce((a, b) => a + b, 0) / s.length, median: q(0.5), p95: q(0.95), max: s[s.length - 1]!, min: s[0]! };
}

export interface SyntheticEvalOptions {
  frames: number;
  seed: number;
  noisePx: number;
  camera: CameraIntrinsics;
  actor?: ActorModel;
  params?: Partial<RandomParamsOptions>;
}

export interface SyntheticEvalReport {
  frames: number;
  noisePx: number;
  poseErrorDeg: Stats;
  translationErrorMm: Stats;
  expressionRmse: Stats;
  gazeErrorDeg: Stats;
  blinkError: Stats;
  vertex2dErrorPx: Stats;
  confidence: Stats;
}

export function evaluateSyntheticTracking(o: SyntheticEvalOptions): SyntheticEvalReport {
  const actor = o.actor ?? createActorModel();
  const fitter = new FrameFitter(actor, o.camera);
  const rand = mulberry32(o.seed);
  const geo = createFaceGeometry();
  const lm = new Float32Array(VERTEX_COUNT * 3);
  const uvTrue = new Float32Array(VERTEX_COUNT * 2);
  const uvFit = new Float32Array(VERTEX_COUNT * 2);
  const Ra = new Float64Array(9);
  const Rb = new Float64Array(9);
  const out = neutralParams();
  const pose: number[] = [], trans: number[] = [], expr: number[] = [], gaze: number[] = [], blink: number[] = [], v2d: number[] = [], conf: number[] = [];
  for (let f = 0; f < o.frames; f++) {
    const gt = randomParams(rand, o.params);
    synthesizeLandmarks(actor, gt, o.camera, geo, lm);
    project(o.camera, geo.positions, uvTrue);
    for (let i = 0; i < lm.length; i++) lm[i] = lm[i]! + o.noisePx * gaussian(rand);
    const r = fitter.fit(lm, out, null);
    rotationFromEuler(gt.yaw, gt.pitch, gt.roll, Ra);
    rotationFromEuler(out.yaw, out.pitch, out.roll, Rb);
    pose.push(rotationDistanceDeg(Ra, Rb));
    trans.push(Math.hypot(gt.tx - out.tx, gt.ty - out.ty, gt.tz - out.tz));
    let se = 0;
    for (let k = 0; k < EXPRESSION_COUNT; k++) se += (gt.expression[k]! - out.expression[k]!) ** 2;
    expr.push(Math.sqrt(se / EXPRESSION_COUNT));
    gaze.push(0.5 * (Math.hypot(gt.gazeLeft.yaw - out.gazeLeft.yaw, gt.gazeLeft.pitch - out.gazeLeft.pitch) + Math.hypot(gt.gazeRight.yaw - out.gazeRight.yaw, gt.gazeRight.pitch - out.gazeRight.pitch)));
    blink.push(0.5 * (Math.abs(gt.blinkLeft - out.blinkLeft) + Math.abs(gt.blinkRight - out.blinkRight)));
    evalFace(actor, out, geo);
    project(o.camera, geo.positions, uvFit);
    let d = 0;
    for (let i = 0; i < MESH_VERTEX_COUNT; i++) d += Math.hypot(uvFit[2 * i]! - uvTrue[2 * i]!, uvFit[2 * i + 1]! - uvTrue[2 * i + 1]!);
    v2d.push(d / MESH_VERTEX_COUNT);
    conf.push(r.confidence);
  }
  return {
    frames: o.frames,
    noisePx: o.noisePx,
    poseErrorDeg: stats(pose),
    translationErrorMm: stats(trans),
    expressionRmse: stats(expr),
    gazeErrorDeg: stats(gaze),
    blinkError: stats(blink),
    vertex2dErrorPx: stats(v2d),
    confidence: stats(conf),
  };
}
