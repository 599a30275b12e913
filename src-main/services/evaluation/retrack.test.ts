import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from '../../../test/helpers/paths.js';
import { createStudio, type Studio } from '../index.js';
import { studioClient } from '../studio-client.js';
import { decodeFrames } from '../video/decode.js';
import { LANDMARK_FLOATS, readFloats, trackPaths } from '../tracking/track-files.js';
import { STATUS_FACE, readRecord } from '../../../src-shared/tracks/record.js';
import {
  createFaceGeometry,
  eulerFromRotation,
  evalFace,
  LEFT_EYE,
  MESH_VERTEX_COUNT,
  neutralParams,
  project,
  RIGHT_EYE,
  rotationFromEuler,
  VERTEX_COUNT,
  type ActorModel,
  type CameraIntrinsics,
  type FaceParams,
} from '../../../src-shared/face/index.js';
import { FrameFitter } from '../../../src-shared/face/fit/frame-fit.js';
import { controlError, summarizeControl } from '../../../src-shared/evaluation/control-error.js';
import { Retracker } from './retrack.js';

const VIDEO = fixture('franck_3s.mp4');
/** Frames re-tracked: spread over the clip, inside the identity frames (0-23) and after them. */
const FRAMES = [5, 30, 50, 70];

let studio: Studio;
let root: string;
let actor: ActorModel;
let camera: CameraIntrinsics;
let retracker: Retracker;
const tracked = new Map<number, FaceParams>();
const trackedLandmarks = new Map<number, Float32Array>();
const pixels = new Map<number, Uint8Array>();

beforeAll(async () => {
  root = await fs.mkdtemp(join(tmpdir(), 'retrack-'));
  studio = createStudio({ mode: 'browser' });
  const client = studioClient(studio);
  const dir = join(root, 'franck');
  await client.call('project.create', { dir });
  await (await client.startJob('project.importVideo', { dir, role: 'target', path: VIDEO })).result;
  const r = await (await client.startJob('tracking.start', { dir, role: 'target' })).result;
  expect(r.framesWithFace).toBe(72);
  const records = (await readFloats(trackPaths(dir, 'target').records))!;
  const landmarks = (await readFloats(trackPaths(dir, 'target').landmarks))!;
  for (const f of FRAMES) {
    const p = neutralParams();
    expect(readRecord(records, f, p)).toBe(STATUS_FACE);
    tracked.set(f, p);
    trackedLandmarks.set(f, landmarks.slice(f * LANDMARK_FLOATS, (f + 1) * LANDMARK_FLOATS));
  }
  ({ actor, camera } = (await Retracker.loadActor(dir, 'target'))!);
  for await (const fr of decodeFrames(VIDEO, { count: Math.max(...FRAMES) + 1 })) if (FRAMES.includes(fr.index)) pixels.set(fr.index, fr.data);
  retracker = await Retracker.create(actor, camera);
}, 240_000);

afterAll(async () => {
  retracker?.dispose();
  await studio?.dispose();
  if (root) await fs.rm(root, { recursive: true, force: true });
});

function projected(p: FaceParams): Float32Array {
  const geo = createFaceGeometry();
  const uv = new Float32Array(VERTEX_COUNT * 2);
  evalFace(actor, p, geo);
  project(camera, geo.positions, uv);
  return uv;
}

function iodOf(uv: Float32Array): number {
  return Math.hypot(uv[2 * LEFT_EYE.outer]! - uv[2 * RIGHT_EYE.outer]!, uv[2 * LEFT_EYE.outer + 1]! - uv[2 * RIGHT_EYE.outer + 1]!);
}

/** Bilinear resample of the frame rotated by `deg` counter-clockwise (as displayed) about (cx, cy); outside = mid grey. */
function rotateImage(src: Uint8Array, w: number, h: number, deg: number, cx: number, cy: number): Uint8Array {
  const out = new Uint8Array(src.length);
  const c = Math.cos((deg * Math.PI) / 180);
  const s = Math.sin((deg * Math.PI) / 180);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      // Pixel centres; inverse map of dx' = c dx + s dy, dy' = -s dx + c dy (image y down).
      const dx = x + 0.5 - cx;
      const dy = y + 0.5 - cy;
      const sx = c * dx - s * dy + cx - 0.5;
      const sy = s * dx + c * dy + cy - 0.5;
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const fx = sx - x0;
      const fy = sy - y0;
      const o = 3 * (y * w + x);
      if (x0 < 0 || y0 < 0 || x0 + 1 >= w || y0 + 1 >= h) {
        out.fill(128, o, o + 3);
        continue;
      }
      for (let ch = 0; ch < 3; ch++) {
        const a = src[3 * (y0 * w + x0) + ch]!;
        const b = src[3 * (y0 * w + x0 + 1) + ch]!;
        const d = src[3 * ((y0 + 1) * w + x0) + ch]!;
        const e = src[3 * ((y0 + 1) * w + x0 + 1) + ch]!;
        out[o + ch] = Math.round((1 - fy) * ((1 - fx) * a + fx * b) + fy * ((1 - fx) * d + fx * e));
      }
    }
  }
  return out;
}

/** The frame moved by (dx, dy) whole pixels; uncovered pixels repeat the edge. */
function shiftImage(src: Uint8Array, w: number, h: number, dx: number, dy: number): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let y = 0; y < h; y++) {
    const sy = Math.min(h - 1, Math.max(0, y - dy));
    for (let x = 0; x < w; x++) {
      const sx = Math.min(w - 1, Math.max(0, x - dx));
      out.set(src.subarray(3 * (sy * w + sx), 3 * (sy * w + sx) + 3), 3 * (y * w + x));
    }
  }
  return out;
}

/** The pose seen by a camera turned by Rc about its centre: R' = Rc R, t' = Rc t; the rest unchanged. */
function cameraTurned(p: FaceParams, Rc: readonly number[]): FaceParams {
  const R = rotationFromEuler(p.yaw, p.pitch, p.roll, new Float64Array(9));
  const out = new Float64Array(9);
  for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) out[3 * r + c] = Rc[3 * r]! * R[c]! + Rc[3 * r + 1]! * R[3 + c]! + Rc[3 * r + 2]! * R[6 + c]!;
  const e = new Float64Array(3);
  eulerFromRotation(out, e);
  return {
    ...p,
    yaw: e[0]!,
    pitch: e[1]!,
    roll: e[2]!,
    tx: Rc[0]! * p.tx + Rc[1]! * p.ty + Rc[2]! * p.tz,
    ty: Rc[3]! * p.tx + Rc[4]! * p.ty + Rc[5]! * p.tz,
    tz: Rc[6]! * p.tx + Rc[7]! * p.ty + Rc[8]! * p.tz,
    expression: Float32Array.from(p.expression),
    gazeLeft: { ...p.gazeLeft },
    gazeRight: { ...p.gazeRight },
  };
}

/**
 * The parameters that an image rotation by `deg` (counter-clockwise as displayed) about the
 * principal point exactly corresponds to: the camera rolled about its optical axis, i.e. the
 * head's camera-space pose left-multiplied by Rz(deg) (camera x = image right, y = image up).
 */
function rolledAboutOpticalAxis(p: FaceParams, deg: number): FaceParams {
  const c = Math.cos((deg * Math.PI) / 180);
  const s = Math.sin((deg * Math.PI) / 180);
  return cameraTurned(p, [c, -s, 0, s, c, 0, 0, 0, 1]);
}

/**
 * The parameters an image shift by (dx, dy) px of a face centred at (u, v) corresponds to:
 * the camera turned about its centre so that the ray through (u, v) becomes the ray through
 * (u + dx, v + dy). A shifted face is seen from another direction, so its camera-space pose
 * turns by about atan(shift / focal) (1.1 degrees for 20 px at this clip's 1073 px focal);
 * it does not stay put. Exact on that ray; over the face the homography of such a turn
 * differs from a shift by a few hundredths of a pixel here.
 */
function turnedForShift(p: FaceParams, u: number, v: number, dx: number, dy: number): FaceParams {
  const ray = (x: number, y: number) => {
    const d = [(x - camera.width / 2) / camera.focalPx, -(y - camera.height / 2) / camera.focalPx, -1];
    const n = Math.hypot(d[0]!, d[1]!, d[2]!);
    return d.map((c) => c / n);
  };
  const a = ray(u, v);
  const b = ray(u + dx, v + dy);
  const k = [a[1]! * b[2]! - a[2]! * b[1]!, a[2]! * b[0]! - a[0]! * b[2]!, a[0]! * b[1]! - a[1]! * b[0]!];
  const sn = Math.hypot(k[0]!, k[1]!, k[2]!);
  const cs = a[0]! * b[0]! + a[1]! * b[1]! + a[2]! * b[2]!;
  const [x, y, z] = k.map((c) => c / sn) as [number, number, number];
  // Rodrigues: Rc = cs I + sn [k]x + (1 - cs) k k^T.
  const C = 1 - cs;
  return cameraTurned(p, [cs + C * x * x, C * x * y - sn * z, C * x * z + sn * y, C * y * x + sn * z, cs + C * y * y, C * y * z - sn * x, C * z * x - sn * y, C * z * y + sn * x, cs + C * z * z]);
}

function meanMove(a: Float32Array, b: Float32Array): [number, number] {
  let mx = 0;
  let my = 0;
  for (let i = 0; i < MESH_VERTEX_COUNT; i++) {
    mx += (a[2 * i]! - b[2 * i]!) / MESH_VERTEX_COUNT;
    my += (a[2 * i + 1]! - b[2 * i + 1]!) / MESH_VERTEX_COUNT;
  }
  return [mx, my];
}

function centroid(uv: Float32Array): [number, number] {
  let u = 0;
  let v = 0;
  for (let i = 0; i < MESH_VERTEX_COUNT; i++) {
    u += uv[2 * i]! / MESH_VERTEX_COUNT;
    v += uv[2 * i + 1]! / MESH_VERTEX_COUNT;
  }
  return [u, v];
}

const W = 360;
const H = 288;

describe('Retracker on real franck frames (360x288, inter-ocular distance ~80 px)', () => {
  it('re-tracking a real frame agrees with the tracker that tracked the clip', async () => {
    // Measured (frames 5 / 30 / 50 / 70, cold re-track vs the tracked record):
    //   pose 0.88 / 2.39 / 1.69 / 0.90 deg (mean 1.47, median 1.29; almost all of it pitch,
    //   |yaw| <= 0.42, |roll| <= 0.27), gaze 3.00 / 4.00 / 2.34 / 2.19 deg (mean 2.88),
    //   landmarks 0.0097 / 0.0177 / 0.0125 / 0.0065 IOD (mean 0.0116), expression L1
    //   0.091 / 0.107 / 0.074 / 0.047, |jawOpen| <= 0.049, blink agreement 1, confidence >= 0.825.
    // The fitter is not the cause (next test): the tracker's detector mesh came from a box
    // carried over from the previous frame, the re-tracker's from a fresh face detection, and
    // the mesh moves by ~0.01 IOD with its crop (on frame 12, where the tracker happened to run
    // a fresh detection, the re-tracked landmarks are identical to the tracked ones). This is
    // the noise floor of control error at this face size.
    const errors = [];
    for (const f of FRAMES) {
      const r = (await retracker.track(pixels.get(f)!, W, H))!;
      expect(r).not.toBeNull();
      expect(r.confidence).toBeGreaterThan(0.6);
      const e = controlError(r.params, tracked.get(f)!, actor, camera);
      expect(e.poseDeg).toBeLessThan(3.5);
      expect(Math.abs(e.yawDeg)).toBeLessThan(1);
      expect(Math.abs(e.rollDeg)).toBeLessThan(1);
      expect(e.gazeDeg).toBeLessThan(6);
      expect(e.landmarkIod).toBeLessThan(0.025);
      expect(e.expressionL1).toBeLessThan(0.15);
      expect(Math.abs(e.jawOpenErr)).toBeLessThan(0.08);
      errors.push(e);
    }
    const s = summarizeControl(errors);
    expect(s.poseDeg.mean).toBeLessThan(2);
    expect(s.gazeDeg.mean).toBeLessThan(4);
    expect(s.landmarkIod.mean).toBeLessThan(0.016);
    expect(s.blinkAccuracy).toBe(1);
  });

  it('the disagreement is the detector crop: the tracked landmarks, fitted cold, give the tracked parameters', () => {
    // Measured: pose <= 0.03 deg, gaze <= 0.08 deg, landmarks <= 0.001 IOD, expression L1 <= 0.011.
    const fitter = new FrameFitter(actor, camera);
    for (const f of FRAMES) {
      const p = neutralParams();
      fitter.fit(trackedLandmarks.get(f)!, p, null);
      const e = controlError(p, tracked.get(f)!, actor, camera);
      expect(e.poseDeg).toBeLessThan(0.15);
      expect(e.gazeDeg).toBeLessThan(0.5);
      expect(e.landmarkIod).toBeLessThan(0.003);
    }
  });

  it('gives the same result whatever was tracked before (each call is a still)', async () => {
    const a = (await retracker.track(pixels.get(30)!, W, H))!;
    await retracker.track(pixels.get(70)!, W, H);
    const b = (await retracker.track(pixels.get(30)!, W, H))!;
    expect(b.params.yaw).toBe(a.params.yaw);
    expect(b.params.pitch).toBe(a.params.pitch);
    expect(Array.from(b.params.expression)).toEqual(Array.from(a.params.expression));
    expect(b.params.gazeLeft).toEqual(a.params.gazeLeft);
  });

  it('a warm start lands where the cold start does on a still', async () => {
    // Measured on frame 50, warm from the tracked record: pose 0.009 deg, gaze 0.04 deg,
    // landmarks 0.0006 IOD, expression L1 0.006 (the temporal prior's pull toward warm).
    const f = 50;
    const cold = (await retracker.track(pixels.get(f)!, W, H))!;
    const warm = (await retracker.track(pixels.get(f)!, W, H, tracked.get(f)!))!;
    const e = controlError(warm.params, cold.params, actor, camera);
    expect(e.poseDeg).toBeLessThan(0.2);
    expect(e.gazeDeg).toBeLessThan(0.5);
    expect(e.landmarkIod).toBeLessThan(0.003);
    expect(e.expressionL1).toBeLessThan(0.02);
  });

  it('recovers the known parameters of a frame rotated in the image plane (the camera rolled)', async () => {
    // The frame rotated by +-10 deg about the principal point (bilinear) is exactly the
    // camera rolled about its axis, so the expected parameters are known. Measured (re-tracked
    // roll change for the requested +10 / -10): frame 30 (roll 7.1): +8.26 / -10.59, frame 70
    // (roll 10.5): +8.86 / -10.05; pose error against the exact expected parameters 2.06 / 1.23
    // and 4.88 / 1.61 deg (frame 70 +10 is mostly pitch, 4.4 deg), landmarks 0.015-0.032 IOD.
    // Rolling a head that is already rolled to 17-20 deg costs accuracy: the detector runs
    // without rotation correction (human's `rotation: false`), so its crop is not upright.
    const deltas: number[] = [];
    for (const f of [30, 70]) {
      const base = (await retracker.track(pixels.get(f)!, W, H))!;
      for (const deg of [10, -10]) {
        const r = (await retracker.track(rotateImage(pixels.get(f)!, W, H, deg, W / 2, H / 2), W, H))!;
        expect(r).not.toBeNull();
        const delta = r.params.roll - base.params.roll;
        expect(Math.sign(delta)).toBe(Math.sign(deg));
        expect(Math.abs(delta - deg)).toBeLessThan(2.5);
        deltas.push(Math.abs(delta - deg));
        const e = controlError(r.params, rolledAboutOpticalAxis(base.params, deg), actor, camera);
        expect(e.poseDeg).toBeLessThan(6);
        expect(e.landmarkIod).toBeLessThan(0.045);
      }
    }
    // Measured mean |roll change - requested| 0.88 deg.
    expect(deltas.reduce((a, b) => a + b, 0) / deltas.length).toBeLessThan(1.5);
  });

  it('follows a known translation of the frame: the projected landmarks move by the shift', async () => {
    // Measured (frame 30, then 70): a (12, -8) px shift moves the projected mesh by
    // (12.33, -8.29) and (11.62, -7.42) px, (-20, 5) by (-19.08, 4.48) and (-20.24, 5.79);
    // the per-vertex residual after removing the shift is 0.74-1.31 px (0.009-0.016 IOD), about
    // the detector's own 0.81-1.11 px. Against the camera-turn equivalent of the shift: pose
    // 1.01-1.28 deg, gaze 2.7-10.4 deg (the eyeball's
    // 12 mm radius is ~11 px here, so 1 px of iris position is ~5 deg of gaze).
    for (const f of [30, 70]) {
      const base = (await retracker.track(pixels.get(f)!, W, H))!;
      const uv0 = projected(base.params);
      const iod = iodOf(uv0);
      const [cu, cv] = centroid(uv0);
      for (const [dx, dy] of [
        [12, -8],
        [-20, 5],
      ] as const) {
        const r = (await retracker.track(shiftImage(pixels.get(f)!, W, H, dx, dy), W, H))!;
        expect(r).not.toBeNull();
        const uv = projected(r.params);
        const [mx, my] = meanMove(uv, uv0);
        expect(Math.hypot(mx - dx, my - dy)).toBeLessThan(1.5);
        let resid = 0;
        for (let i = 0; i < MESH_VERTEX_COUNT; i++) resid += Math.hypot(uv[2 * i]! - dx - uv0[2 * i]!, uv[2 * i + 1]! - dy - uv0[2 * i + 1]!);
        expect(resid / MESH_VERTEX_COUNT / iod).toBeLessThan(0.025);
        const e = controlError(r.params, turnedForShift(base.params, cu, cv, dx, dy), actor, camera);
        expect(e.poseDeg).toBeLessThan(2.5);
        expect(e.landmarkIod).toBeLessThan(0.025);
        expect(e.gazeDeg).toBeLessThan(15);
      }
    }
  });

  it('finds no face on a grey image and refuses frames of another size', async () => {
    expect(await retracker.track(new Uint8Array(W * H * 3).fill(128), W, H)).toBeNull();
    await expect(retracker.track(new Uint8Array(100 * 80 * 3), 100, 80)).rejects.toThrow(RangeError);
  });
});
