import { ssim as referenceSsim } from 'ssim.js';
import { describe, expect, it } from 'vitest';
import { erodeMask } from './mask.js';
import { ssim, ssimMap } from './ssim.js';
import { blurred, constantImage, ellipseMask, noisy, scrambleWhere, sharpened, texturedImage, toGrey, toRgba } from './testImages.js';

const W = 72, H = 64;
const img = texturedImage(W, H, 3);

/**
 * ssim.js's port of Wang et al.'s ssim_index.m: 'original' = the MATLAB algorithm (11x11
 * Gaussian sigma 1.5, K1 0.01, K2 0.03, 'valid' filter2), downsample false = no 256-px
 * downsampling. It reads RGBA and rounds luma to 8 bits, so on grey images (R = G = B) its luma
 * is exactly ours and the two must agree to float rounding.
 */
function reference(a: Uint8Array, b: Uint8Array): { mssim: number; map: number[]; width: number; height: number } {
  const r = referenceSsim(toRgba(a, W, H), toRgba(b, W, H), { ssim: 'original', downsample: false, rgb2grayVersion: 'original' });
  return { mssim: r.mssim, map: r.ssim_map.data, width: r.ssim_map.width, height: r.ssim_map.height };
}

describe('ssim (Wang et al. 2004, valid windows)', () => {
  it('identical images score exactly 1, and the map is (w-10) x (h-10)', () => {
    const m = ssimMap(img, img, W, H);
    expect(m.width).toBe(W - 10);
    expect(m.height).toBe(H - 10);
    expect(m.map.length).toBe((W - 10) * (H - 10));
    expect(ssim(img, img, W, H)).toBeCloseTo(1, 12);
  });

  it('two flat images match the closed form (2ab + C1) / (a² + b² + C1)', () => {
    const c1 = (0.01 * 255) ** 2;
    const expected = (2 * 100 * 150 + c1) / (100 * 100 + 150 * 150 + c1); // 0.92312...
    expect(ssim(constantImage(W, H, 100), constantImage(W, H, 150), W, H)).toBeCloseTo(expected, 6);
    expect(expected).toBeLessThan(0.93);
  });

  const grey = toGrey(img);
  const cases: [string, Uint8Array][] = [
    ['blurred copy', toGrey(blurred(img, W, H, 2))],
    ['noisy copy', toGrey(noisy(img, 60))],
    ['sharpened copy', toGrey(sharpened(img, W, H, 1.5))],
    ['a constant image', constantImage(W, H, 128)],
    ['an unrelated texture', toGrey(texturedImage(W, H, 9))],
  ];
  for (const [name, other] of cases) {
    it(`agrees with ssim.js (original, no downsampling) on ${name}`, () => {
      const ref = reference(grey, other);
      const mine = ssimMap(grey, other, W, H);
      expect([mine.width, mine.height]).toEqual([ref.width, ref.height]);
      expect(Math.abs(ssim(grey, other, W, H) - ref.mssim)).toBeLessThan(1e-6);
      let worst = 0;
      for (let i = 0; i < mine.map.length; i++) worst = Math.max(worst, Math.abs(mine.map[i]! - ref.map[i]!));
      expect(worst).toBeLessThan(1e-5);
      expect(ref.mssim).toBeLessThan(0.95); // a degraded image: the agreement is not trivially 1 = 1
    });
  }

  it('reference values order the degradations as expected', () => {
    const s = (b: Uint8Array) => ssim(grey, b, W, H);
    expect(s(toGrey(blurred(img, W, H, 1)))).toBeGreaterThan(s(toGrey(blurred(img, W, H, 3))));
    expect(s(toGrey(noisy(img, 20)))).toBeGreaterThan(s(toGrey(noisy(img, 80))));
    expect(s(constantImage(W, H, 128))).toBeLessThan(0.5);
  });

  it('on colour images differs from ssim.js only by its 8-bit luma rounding (< 1e-3)', () => {
    const other = blurred(img, W, H, 2);
    const r = referenceSsim(toRgba(img, W, H), toRgba(other, W, H), { ssim: 'original', downsample: false, rgb2grayVersion: 'original' });
    expect(Math.abs(ssim(img, other, W, H) - r.mssim)).toBeLessThan(1e-3);
  });

  it('with a mask only windows centred inside count; pixels > 5 px outside change nothing', () => {
    const mask = ellipseMask(W, H);
    const other = noisy(img, 40);
    const base = ssim(img, other, W, H, mask);
    // Scramble the second image everywhere farther than 5 px from the mask.
    const near = erodeMask(Uint8Array.from(mask, (v) => 1 - v), W, H, 5); // 1 = far outside
    const outside = scrambleWhere(other, (p) => near[p] === 0);
    expect(ssim(img, outside, W, H, mask)).toBe(base);
    expect(ssim(img, outside, W, H)).toBeLessThan(ssim(img, other, W, H) - 0.05); // the scramble is real
    // An eroded mask keeps whole windows inside: scrambling everything outside the mask is invisible.
    const inner = erodeMask(mask, W, H, 5);
    const allOutside = scrambleWhere(other, (p) => mask[p] === 1);
    expect(ssim(img, allOutside, W, H, inner)).toBe(ssim(img, other, W, H, inner));
    // ... and a change inside the mask is seen.
    const inside = scrambleWhere(other, (p) => inner[p] === 0);
    expect(ssim(img, inside, W, H, inner)).toBeLessThan(ssim(img, other, W, H, inner) - 0.05);
  });

  it('the masked mean equals the mean of the map entries whose window centre is in the mask', () => {
    const mask = ellipseMask(W, H, 0.2, 0.25);
    const other = blurred(img, W, H, 2);
    const m = ssimMap(img, other, W, H);
    let s = 0, n = 0;
    for (let y = 0; y < m.height; y++) for (let x = 0; x < m.width; x++) {
      if (mask[(y + 5) * W + x + 5]) { s += m.map[y * m.width + x]!; n++; }
    }
    expect(n).toBeGreaterThan(100);
    expect(ssim(img, other, W, H, mask)).toBeCloseTo(s / n, 10);
    expect(Math.abs(s / n - ssim(img, other, W, H))).toBeGreaterThan(1e-4); // the mask changes the figure
  });

  it('empty mask gives NaN; bad sizes throw', () => {
    expect(ssim(img, img, W, H, new Uint8Array(W * H))).toBeNaN();
    expect(() => ssim(img, img, W, H - 1)).toThrow(RangeError);
    expect(() => ssim(img, img.subarray(3), W, H)).toThrow(RangeError);
    expect(() => ssim(new Uint8Array(10 * 10 * 3), new Uint8Array(10 * 10 * 3), 10, 10)).toThrow(RangeError);
    expect(() => ssim(img, img, W, H, new Float32Array(5))).toThrow(RangeError);
  });
});
