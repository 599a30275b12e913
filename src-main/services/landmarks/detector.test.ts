import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readFrame, decodeFrames } from '../video/decode.js';
import { detectLandmarks, LandmarkDetector } from './detector.js';
import { IRIS_CENTERS, LANDMARK_COUNT, type FaceLandmarks } from './types.js';

const fx = (name: string) => fileURLToPath(new URL(`../../../test/fixtures/${name}`, import.meta.url));

// Eye contours of the MediaPipe mesh (image-left eye, image-right eye).
const EYE_A = [33, 7, 163, 144, 145, 153, 154, 155, 133, 173, 157, 158, 159, 160, 161, 246];
const EYE_B = [263, 249, 390, 373, 374, 380, 381, 382, 362, 398, 384, 385, 386, 387, 388, 466];

function eyeBox(lm: FaceLandmarks, idx: number[]) {
  let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
  for (const i of idx) {
    const x = lm.points[i * 3]!, y = lm.points[i * 3 + 1]!;
    x0 = Math.min(x0, x); x1 = Math.max(x1, x); y0 = Math.min(y0, y); y1 = Math.max(y1, y);
  }
  return { x0, y0, x1, y1 };
}

function inside(x: number, y: number, b: { x0: number; y0: number; x1: number; y1: number }, pad: number) {
  return x >= b.x0 - pad && x <= b.x1 + pad && y >= b.y0 - pad && y <= b.y1 + pad;
}

function checkFace(lm: FaceLandmarks, width: number, height: number): void {
  expect(lm.points.length).toBe(LANDMARK_COUNT * 3);
  expect(lm.score).toBeGreaterThan(0.5);
  expect(lm.meshScore).toBeGreaterThan(0.5);
  // franck's face is about 150x190 px in a 360x288 frame.
  expect(lm.box.width).toBeGreaterThan(100);
  expect(lm.box.width).toBeLessThan(300);
  let xs = Infinity, xe = -Infinity;
  for (let i = 0; i < LANDMARK_COUNT; i++) {
    const x = lm.points[i * 3]!, y = lm.points[i * 3 + 1]!;
    expect(Number.isFinite(lm.points[i * 3 + 2]!)).toBe(true);
    expect(x).toBeGreaterThanOrEqual(lm.box.x - 2);
    expect(x).toBeLessThanOrEqual(lm.box.x + lm.box.width + 2);
    expect(y).toBeGreaterThanOrEqual(lm.box.y - 2);
    expect(y).toBeLessThanOrEqual(lm.box.y + lm.box.height + 2);
    expect(x >= 0 && x < width && y >= 0 && y < height).toBe(true);
    xs = Math.min(xs, x); xe = Math.max(xe, x);
  }
  // The mesh is a face, not a collapsed point: wider than 80 px.
  expect(xe - xs).toBeGreaterThan(80);
  const a = eyeBox(lm, EYE_A), b = eyeBox(lm, EYE_B);
  const [c0, c1] = IRIS_CENTERS.map((i) => [lm.points[i * 3]!, lm.points[i * 3 + 1]!] as const);
  // Each iris centre lies in one eye, and the two irises are in different eyes.
  const in0 = [inside(c0![0], c0![1], a, 3), inside(c0![0], c0![1], b, 3)];
  const in1 = [inside(c1![0], c1![1], a, 3), inside(c1![0], c1![1], b, 3)];
  expect(in0.filter(Boolean)).toHaveLength(1);
  expect(in1.filter(Boolean)).toHaveLength(1);
  expect(in0[0]).not.toBe(in1[0]);
}

describe('detectLandmarks (single frame)', () => {
  it('finds 478 landmarks on real franck frames, iris inside the eyes', async () => {
    for (const n of [0, 35, 71]) {
      const f = await readFrame(fx('franck_3s.mp4'), n);
      const lm = await detectLandmarks(f.data, f.width, f.height);
      expect(lm, `frame ${n}`).not.toBeNull();
      checkFace(lm!, f.width, f.height);
      expect(lm!.faceCount).toBe(1);
    }
  });

  it('finds the face of the other actor (cap12)', async () => {
    const f = await readFrame(fx('cap12_2s.mp4'), 10);
    const lm = await detectLandmarks(f.data, f.width, f.height);
    expect(lm).not.toBeNull();
    expect(lm!.score).toBeGreaterThan(0.5);
  });

  it('returns null, not a throw, on frames without a face', async () => {
    const w = 320, h = 240;
    const gray = new Uint8Array(w * h * 3).fill(128);
    expect(await detectLandmarks(gray, w, h)).toBeNull();
    // The blue backdrop of franck with the face cut away: still no face.
    const f = await readFrame(fx('franck_3s.mp4'), 0);
    const crop = new Uint8Array(60 * 200 * 3);
    for (let y = 0; y < 200; y++) crop.set(f.data.subarray((y * f.width) * 3, (y * f.width + 60) * 3), y * 60 * 3);
    expect(await detectLandmarks(crop, 60, 200)).toBeNull();
  });

  it('reports two faces and picks the larger one', async () => {
    const f = await readFrame(fx('franck_3s.mp4'), 10);
    const half = await readFrame(fx('franck_3s.mp4'), 10, { maxWidth: 180 });
    // Side by side: full-size franck on the left, half-size on the right.
    const W = f.width + half.width, H = f.height;
    const img = new Uint8Array(W * H * 3);
    for (let y = 0; y < H; y++) {
      img.set(f.data.subarray(y * f.width * 3, (y + 1) * f.width * 3), y * W * 3);
      if (y < half.height) img.set(half.data.subarray(y * half.width * 3, (y + 1) * half.width * 3), (y * W + f.width) * 3);
    }
    const lm = await detectLandmarks(img, W, H);
    expect(lm).not.toBeNull();
    expect(lm!.faceCount).toBe(2);
    expect(lm!.box.x + lm!.box.width / 2).toBeLessThan(f.width);
    expect(lm!.box.width).toBeGreaterThan(100);
  });

  it('rejects a buffer of the wrong size', async () => {
    await expect(detectLandmarks(new Uint8Array(10), 4, 4)).rejects.toThrow(RangeError);
  });
});

describe('LandmarkDetector in video mode', () => {
  let det: LandmarkDetector;
  beforeAll(async () => {
    det = await LandmarkDetector.create({ skipFrames: 10 });
  });
  afterAll(() => det.dispose());

  it('tracks every frame of a real clip and agrees with per-frame detection', async () => {
    const tracked: FaceLandmarks[] = [];
    for await (const f of decodeFrames(fx('franck_3s.mp4'), { count: 24 })) {
      const lm = await det.detect(f.data, f.width, f.height);
      expect(lm).not.toBeNull();
      checkFace(lm!, f.width, f.height);
      tracked.push(lm!);
    }
    // Tracked (cached box) and stand-alone results agree to a few pixels on the same frame.
    const f = await readFrame(fx('franck_3s.mp4'), 23);
    const still = (await detectLandmarks(f.data, f.width, f.height))!;
    let err = 0;
    for (let i = 0; i < 468; i++) {
      err += Math.hypot(still.points[i * 3]! - tracked[23]!.points[i * 3]!, still.points[i * 3 + 1]! - tracked[23]!.points[i * 3 + 1]!);
    }
    expect(err / 468).toBeLessThan(4);
  });

  it('recovers immediately after a jump to a frame without a face and back', async () => {
    det.restart();
    const f = await readFrame(fx('franck_3s.mp4'), 0);
    expect(await det.detect(f.data, f.width, f.height)).not.toBeNull();
    expect(await det.detect(new Uint8Array(f.data.length).fill(30), f.width, f.height)).toBeNull();
    expect(await det.detect(f.data, f.width, f.height)).not.toBeNull();
  });
});

describe('loading human', () => {
  it('leaves no process-wide crash handlers behind (emscripten installs rethrowing ones)', async () => {
    const det = await LandmarkDetector.create();
    det.dispose();
    const rethrowing = [...process.listeners('uncaughtException'), ...process.listeners('unhandledRejection')]
      .map(String)
      .filter((src) => src.includes('ExitStatus') || src.includes('throw reason'));
    expect(rethrowing).toEqual([]);
  });
});
