import { describe, expect, it } from 'vitest';
import { cropCamera, fullFrameCamera, projectPoints } from '../camera.js';
import { headBox } from './headBox.js';
import { smoothCrops } from './smoothCrops.js';

/** Deterministic pseudo-random jitter. */
function lcg(seed: number): () => number {
  let s = seed >>> 0;
  return () => ((s = (1664525 * s + 1013904223) >>> 0) / 2 ** 32) - 0.5;
}

describe('crops', () => {
  it('smoothing removes jitter without lag (zero phase)', () => {
    const rnd = lcg(7);
    const n = 200;
    const truth = (i: number): number => 100 + 0.5 * i; // steady pan
    const boxes = Array.from({ length: n }, (_, i) => ({ x: truth(i) - 50 + 6 * rnd(), y: 40 + 6 * rnd(), size: 100 * (1 + 0.05 * rnd()) }));
    const sm = smoothCrops(boxes);
    let rawErr = 0, smErr = 0, bias = 0;
    for (let i = 20; i < n - 20; i++) {
      const c = sm[i]!.x + sm[i]!.size / 2;
      rawErr += Math.abs(boxes[i]!.x + boxes[i]!.size / 2 - truth(i));
      smErr += Math.abs(c - truth(i));
      bias += c - truth(i);
    }
    expect(smErr).toBeLessThan(rawErr / 3);
    expect(Math.abs(bias / (n - 40))).toBeLessThan(0.3); // a causal filter would lag by several px
    // Frame-to-frame jitter of the size is small.
    let maxStep = 0;
    for (let i = 1; i < n; i++) maxStep = Math.max(maxStep, Math.abs(sm[i]!.size - sm[i - 1]!.size));
    expect(maxStep).toBeLessThan(1);
  });

  it('fills frames without a face from their neighbours', () => {
    const sm = smoothCrops([null, { x: 0, y: 0, size: 100 }, null, null, { x: 30, y: 0, size: 100 }, null], { sigmaCenter: 0, sigmaSize: 0 });
    expect(sm.length).toBe(6);
    expect(sm[0]!.x).toBeCloseTo(0);
    expect(sm[2]!.x).toBeCloseTo(10);
    expect(sm[3]!.x).toBeCloseTo(20);
    expect(sm[5]!.x).toBeCloseTo(30);
    expect(smoothCrops([null, null])).toEqual([]);
  });

  it('headBox is square, contains the points with margin, and the crop camera maps frame pixels into it', () => {
    const sx = Float32Array.of(100, 160, 130), sy = Float32Array.of(80, 90, 170);
    const box = headBox(sx, sy, 3)!;
    expect(box.size).toBeGreaterThan(90 * 1.5);
    expect(box.x).toBeLessThan(100);
    expect(box.x + box.size).toBeGreaterThan(160);
    expect(box.y).toBeLessThan(80);
    expect(box.y + box.size).toBeGreaterThan(170);
    // A camera-space point projects to crop pixels = (frame pixels - corner) * scale.
    const intr = { focalPx: 400, width: 360, height: 288 };
    const pt = Float32Array.of(30, -20, -500);
    const fx = new Float32Array(1), fy = new Float32Array(1), iw = new Float32Array(1);
    projectPoints(fullFrameCamera(intr), pt, 1, fx, fy, iw);
    const cx = new Float32Array(1), cy = new Float32Array(1);
    projectPoints(cropCamera(intr, box, 256, 256), pt, 1, cx, cy, iw);
    expect(cx[0]).toBeCloseTo(((fx[0]! - box.x) * 256) / box.size, 3);
    expect(cy[0]).toBeCloseTo(((fy[0]! - box.y) * 256) / box.size, 3);
  });
});
