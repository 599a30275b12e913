import { describe, expect, it } from 'vitest';
import { cropResize, featherMask, pasteCrop } from './crop.js';
import { meanAbs } from './metrics.js';
import { tileGrid } from './strip.js';
import { psnr } from './quality/psnr.js';
import { networkToRgb8 } from './network-range.js';

function gradient(w: number, h: number): Uint8Array {
  const img = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) {
    const o = (y * w + x) * 3;
    img[o] = x;
    img[o + 1] = y;
    img[o + 2] = (x + y) & 255;
  }
  return img;
}

describe('crop and paste', () => {
  it('crops at 1:1 exactly', () => {
    const img = gradient(64, 48);
    const c = cropResize(img, 64, 48, { x: 10, y: 5, size: 16 }, 16);
    expect(c[0]).toBe(10);
    expect(c[1]).toBe(5);
    expect(c[(15 * 16 + 15) * 3]).toBe(25);
  });
  it('pasting a crop of the frame back leaves the frame unchanged', () => {
    const img = gradient(64, 48);
    const box = { x: 8, y: 4, size: 32 };
    const crop = cropResize(img, 64, 48, box, 32);
    const copy = new Uint8Array(img);
    pasteCrop(copy, 64, 48, box, crop, 32, featherMask(32));
    expect(psnr(copy, img)).toBeGreaterThan(50);
  });
  it('pastes the crop inside the mask and leaves the outside untouched', () => {
    const img = new Uint8Array(64 * 64 * 3);
    const crop = new Uint8Array(32 * 32 * 3).fill(200);
    const box = { x: 16, y: 16, size: 32 };
    pasteCrop(img, 64, 64, box, crop, 32, featherMask(32, 0.1));
    expect(img[(32 * 64 + 32) * 3]).toBe(200);
    expect(img[(2 * 64 + 2) * 3]).toBe(0);
    expect(img[(16 * 64 + 16) * 3]).toBeLessThan(60);
  });
  it('feather mask is 1 in the middle, 0 at the border, monotone in between', () => {
    const m = featherMask(40, 0.2);
    expect(m[20 * 40 + 20]).toBe(1);
    expect(m[0]).toBeLessThan(0.01);
    for (let x = 0; x < 8; x++) expect(m[20 * 40 + x + 1]!).toBeGreaterThanOrEqual(m[20 * 40 + x]!);
  });
});

describe('metrics', () => {
  it('mean absolute difference is 0 for identical images and the mean error in 0..1 otherwise', () => {
    const a = gradient(32, 32);
    const b = new Uint8Array(a);
    for (let i = 0; i < b.length; i += 8) b[i] = Math.min(255, b[i]! + 40);
    expect(meanAbs(a, a)).toBe(0);
    let expected = 0;
    for (let i = 0; i < a.length; i++) expected += Math.abs(a[i]! - b[i]!);
    expect(meanAbs(a, b)).toBeCloseTo(expected / a.length / 255, 10);
    expect(meanAbs(a, b)).toBeGreaterThan(0);
  });
});

describe('tileGrid', () => {
  it('places each tile at its row and column', () => {
    const tile = (v: number) => new Uint8Array(2 * 2 * 3).fill(v);
    const g = tileGrid([[tile(1), tile(2)], [tile(3)]], 2);
    expect([g.width, g.height]).toEqual([4, 4]);
    const at = (x: number, y: number) => g.rgb[(y * g.width + x) * 3]!;
    expect([at(0, 0), at(1, 1), at(2, 0), at(3, 1), at(0, 2), at(1, 3), at(2, 2)]).toEqual([1, 1, 2, 2, 3, 3, 0]);
    expect(() => tileGrid([[new Uint8Array(5)]], 2)).toThrow(/expected 2x2x3/);
  });
});

describe('network range', () => {
  it('maps [-1, 1] to 0..255, rounded and clamped, into the bytes asked for', () => {
    const pred = Float32Array.from([-1, 1, 0, -2, 3, -0.999, 0.999, Number.NaN, 0.5]);
    expect(Array.from(networkToRgb8(pred))).toEqual([0, 255, 128, 0, 255, 0, 255, 0, 191]);
    // a batch buffer longer than the image: only out.length values are converted
    expect(Array.from(networkToRgb8(pred, new Uint8Array(3)))).toEqual([0, 255, 128]);
    expect(() => networkToRgb8(pred.subarray(0, 2), new Uint8Array(3))).toThrow(RangeError);
  });
});
