import { describe, expect, it } from 'vitest';
import {
  createActorModel,
  createFaceGeometry,
  evalFace,
  EXPRESSION_CONTROLS,
  EXPRESSION_COUNT,
  LEFT_EYE,
  neutralParams,
  project,
  RIGHT_EYE,
  VERTEX_COUNT,
  type CameraIntrinsics,
  type FaceParams,
} from '../face/index.js';
import { controlError, gazeAngleDeg, summarizeControl, type ControlError } from './control-error.js';

const actor = createActorModel();
const camera: CameraIntrinsics = { focalPx: 432, width: 360, height: 288 };

function params(over: Partial<FaceParams> = {}): FaceParams {
  const p = neutralParams();
  Object.assign(p, { yaw: 5, pitch: -3, roll: 2, tx: 4, ty: -6, tz: -650 }, over);
  if (!over.gazeLeft) p.gazeLeft = { yaw: 3, pitch: -2 };
  if (!over.gazeRight) p.gazeRight = { yaw: 2, pitch: -2 };
  return p;
}

function clone(p: FaceParams): FaceParams {
  return { ...p, expression: Float32Array.from(p.expression), sh: Float32Array.from(p.sh), gazeLeft: { ...p.gazeLeft }, gazeRight: { ...p.gazeRight } };
}

describe('controlError', () => {
  it('is zero for identical parameters', () => {
    const p = params();
    p.expression[0] = 0.4;
    p.expression[7] = 0.2;
    p.blinkLeft = 0.9;
    const e = controlError(clone(p), p, actor, camera);
    expect(e.poseDeg).toBeLessThan(1e-4);
    expect(e.yawDeg).toBe(0);
    expect(e.pitchDeg).toBe(0);
    expect(e.rollDeg).toBe(0);
    expect(e.expressionL1).toBe(0);
    expect(e.jawOpenErr).toBe(0);
    expect(e.gazeDeg).toBeLessThan(1e-9);
    expect(e.blinkAgree).toBe(1);
    expect(e.landmarkIod).toBe(0);
  });

  it('measures a 10 degree yaw difference as 10 degrees of pose error, signed per angle', () => {
    const req = params({ yaw: 0, pitch: 0, roll: 0 });
    const e = controlError(params({ yaw: 10, pitch: 0, roll: 0 }), req, actor, camera);
    expect(e.poseDeg).toBeCloseTo(10, 6);
    expect(e.yawDeg).toBeCloseTo(10, 9);
    expect(e.pitchDeg).toBe(0);
    const back = controlError(req, params({ yaw: 10, pitch: 0, roll: 0 }), actor, camera);
    expect(back.yawDeg).toBeCloseTo(-10, 9);
    expect(back.poseDeg).toBeCloseTo(10, 6);
  });

  it('measures the relative rotation, not the sum of Euler differences', () => {
    // R(y, p, r + 7) = R(y, p, r) Rz(7): exactly 7 degrees apart whatever the base pose.
    const e = controlError(params({ yaw: 25, pitch: -15, roll: 12 }), params({ yaw: 25, pitch: -15, roll: 5 }), actor, camera);
    expect(e.poseDeg).toBeCloseTo(7, 6);
    expect(e.rollDeg).toBeCloseTo(7, 9);
    // Angles wrap: 179 vs -179 is 2 degrees, not 358.
    const w = controlError(params({ yaw: 179, pitch: 0, roll: 0 }), params({ yaw: -179, pitch: 0, roll: 0 }), actor, camera);
    expect(w.yawDeg).toBeCloseTo(-2, 9);
    expect(w.poseDeg).toBeCloseTo(2, 6);
  });

  it('measures gaze as the angle between gaze directions, averaged over both eyes', () => {
    const req = params({ gazeLeft: { yaw: 0, pitch: 0 }, gazeRight: { yaw: 0, pitch: 0 } });
    expect(controlError(params({ gazeLeft: { yaw: 15, pitch: 0 }, gazeRight: { yaw: 15, pitch: 0 } }), req, actor, camera).gazeDeg).toBeCloseTo(15, 9);
    expect(controlError(params({ gazeLeft: { yaw: 0, pitch: -15 }, gazeRight: { yaw: 0, pitch: -15 } }), req, actor, camera).gazeDeg).toBeCloseTo(15, 9);
    // One eye off by 15 degrees: the mean over eyes is 7.5.
    expect(controlError(params({ gazeLeft: { yaw: 15, pitch: 0 }, gazeRight: { yaw: 0, pitch: 0 } }), req, actor, camera).gazeDeg).toBeCloseTo(7.5, 9);
    // A yaw difference while looking up is a smaller angle: geometry, not parameter difference.
    const up = gazeAngleDeg({ yaw: 15, pitch: 40 }, { yaw: 0, pitch: 40 });
    expect(up).toBeLessThan(12);
    expect(up).toBeGreaterThan(11);
    expect(gazeAngleDeg({ yaw: 0, pitch: 0 }, { yaw: 0.01, pitch: 0 })).toBeCloseTo(0.01, 9);
  });

  it('counts blink agreement per eye at the 0.5 threshold', () => {
    const req = params({ blinkLeft: 0.2, blinkRight: 0.9 });
    expect(controlError(params({ blinkLeft: 0.45, blinkRight: 0.55 }), req, actor, camera).blinkAgree).toBe(1);
    expect(controlError(params({ blinkLeft: 0.8, blinkRight: 0.9 }), req, actor, camera).blinkAgree).toBe(0.5);
    expect(controlError(params({ blinkLeft: 0.8, blinkRight: 0.1 }), req, actor, camera).blinkAgree).toBe(0);
  });

  it('measures expression as the mean absolute coefficient difference, jawOpen signed', () => {
    const req = params();
    const m = params();
    const jaw = EXPRESSION_CONTROLS.indexOf('jawOpen');
    m.expression[jaw] = 0.25;
    req.expression[5] = 0.5;
    const e = controlError(m, req, actor, camera);
    expect(e.expressionL1).toBeCloseTo(0.75 / EXPRESSION_COUNT, 7);
    expect(e.jawOpenErr).toBeCloseTo(0.25, 7);
    expect(controlError(req, m, actor, camera).jawOpenErr).toBeCloseTo(-0.25, 7);
    // An open jaw moves the projected landmarks; a pure expression error is seen there too.
    expect(e.landmarkIod).toBeGreaterThan(0.005);
  });

  it('measures landmark error in inter-ocular distances: a 6 px image shift under a near-orthographic camera', () => {
    // Long lens far away (2 px/mm, the face's depth is 0.2% of the distance): a translation
    // of dx mm moves every projected vertex by 2 dx px.
    const tele: CameraIntrinsics = { focalPx: 60000, width: 640, height: 480 };
    const req = params({ tz: -30000, tx: 0, ty: 0 });
    const geo = createFaceGeometry();
    const uv = new Float32Array(VERTEX_COUNT * 2);
    evalFace(actor, req, geo);
    project(tele, geo.positions, uv);
    const iod = Math.hypot(uv[2 * LEFT_EYE.outer]! - uv[2 * RIGHT_EYE.outer]!, uv[2 * LEFT_EYE.outer + 1]! - uv[2 * RIGHT_EYE.outer + 1]!);
    expect(iod).toBeGreaterThan(150);
    const e = controlError(params({ tz: -30000, tx: 3, ty: 0 }), req, actor, tele);
    expect(e.landmarkIod).toBeGreaterThan((6 / iod) * 0.99);
    expect(e.landmarkIod).toBeLessThan((6 / iod) * 1.01);
    expect(e.poseDeg).toBeLessThan(1e-4);
    // The default camera: the same figure is independent of resolution (scale-free).
    const big: CameraIntrinsics = { focalPx: 864, width: 720, height: 576 };
    const m = params({ yaw: 8 });
    expect(controlError(m, params(), actor, big).landmarkIod).toBeCloseTo(controlError(m, params(), actor, camera).landmarkIod, 6);
  });
});

describe('summarizeControl', () => {
  const err = (poseDeg: number, gazeDeg: number, blinkAgree: number, jawOpenErr: number, landmarkIod: number): ControlError => ({
    poseDeg,
    yawDeg: -poseDeg,
    pitchDeg: 0,
    rollDeg: poseDeg / 2,
    expressionL1: poseDeg / 100,
    jawOpenErr,
    gazeDeg,
    blinkAgree,
    landmarkIod,
  });

  it('gives means and medians over frames', () => {
    const s = summarizeControl([err(1, 2, 1, 0.1, 0.01), err(2, 4, 0.5, -0.3, 0.02), err(9, 3, 1, 0.2, 0.06)]);
    expect(s.frames).toBe(3);
    expect(s.poseDeg.mean).toBeCloseTo(4, 12);
    expect(s.poseDeg.median).toBe(2);
    expect(s.poseDeg.p95).toBeCloseTo(8.3, 12);
    expect(s.yawAbsDeg).toBeCloseTo(4, 12);
    expect(s.rollAbsDeg).toBeCloseTo(2, 12);
    expect(s.pitchAbsDeg).toBe(0);
    expect(s.gazeDeg).toEqual({ mean: 3, median: 3 });
    expect(s.blinkAccuracy).toBeCloseTo(2.5 / 3, 12);
    expect(s.expressionL1.mean).toBeCloseTo(0.04, 12);
    expect(s.jawOpenAbs).toBeCloseTo(0.2, 12);
    expect(s.jawOpenBias).toBeCloseTo(0, 12);
    expect(s.landmarkIod.mean).toBeCloseTo(0.03, 12);
    expect(s.landmarkIod.median).toBeCloseTo(0.02, 12);
  });

  it('is NaN, not zero, over no frames', () => {
    const s = summarizeControl([]);
    expect(s.frames).toBe(0);
    expect(s.poseDeg.mean).toBeNaN();
    expect(s.blinkAccuracy).toBeNaN();
  });
});
