import { describe, expect, it } from 'vitest';
import { mse, psnr, PSNR_CAP_DB } from './psnr.js';
import { constantImage, ellipseMask, noisy, scrambleWhere, texturedImage } from './testImages.js';

const W = 48, H = 40;
const img = texturedImage(W, H, 5);

describe('psnr / mse', () => {
  it('identical images give 0 MSE and the 99 dB cap', () => {
    expect(mse(img, img)).toBe(0);
    expect(psnr(img, img)).toBe(PSNR_CAP_DB);
    expect(PSNR_CAP_DB).toBe(99);
  });

  it('matches hand-computed values', () => {
    // Every channel off by 10: MSE 100, PSNR = 10 log10(65025 / 100) = 28.1308 dB.
    expect(mse(constantImage(W, H, 100), constantImage(W, H, 110))).toBe(100);
    expect(psnr(constantImage(W, H, 100), constantImage(W, H, 110))).toBeCloseTo(28.1308, 3);
    // Only red off by 30: MSE 900 / 3 = 300 over the three channels.
    expect(mse(constantImage(W, H, 50, 60, 70), constantImage(W, H, 80, 60, 70))).toBe(300);
    // One value off by one: 10 log10(65025 * 3n) dB, i.e. 85.74 dB here but 101 dB in a
    // 256x256 crop, which is capped at 99.
    const one = img.slice();
    one[0] = one[0]! ^ 1;
    expect(psnr(img, one)).toBeCloseTo(10 * Math.log10(65025 * W * H * 3), 8);
    const big = constantImage(256, 256, 77), bigOne = big.slice();
    bigOne[5] = 78;
    expect(psnr(big, bigOne)).toBe(PSNR_CAP_DB);
  });

  it('more noise lowers PSNR', () => {
    expect(psnr(img, noisy(img, 20))).toBeGreaterThan(psnr(img, noisy(img, 80)));
    expect(psnr(img, noisy(img, 80))).toBeLessThan(30);
  });

  it('with a mask, pixels outside do not count and all three channels of a pixel inside do', () => {
    const mask = ellipseMask(W, H);
    const other = noisy(img, 30);
    const base = psnr(img, other, mask);
    const outside = scrambleWhere(other, (p) => mask[p] === 1);
    expect(psnr(img, outside, mask)).toBe(base);
    expect(psnr(img, outside)).toBeLessThan(psnr(img, other) - 1);
    // One pixel inside: error only in blue still counts (MSE over 3 values per pixel).
    const single = new Float32Array(W * H);
    const p = (H / 2) * W + W / 2;
    single[p] = 0.9;
    const b = img.slice();
    b[3 * p + 2] = (b[3 * p + 2]! + 30) % 256;
    const d = b[3 * p + 2]! - img[3 * p + 2]!;
    expect(mse(img, b, single)).toBeCloseTo((d * d) / 3, 10);
    // A soft mask value of exactly 0.5 does not count.
    single[p] = 0.5;
    expect(mse(img, b, single)).toBeNaN();
  });

  it('mismatched inputs throw', () => {
    expect(() => psnr(img, img.subarray(3))).toThrow(RangeError);
    expect(() => psnr(img, img, new Uint8Array(3))).toThrow(RangeError);
  });
});
