import { describe, expect, it } from 'vitest';
import { erodeMask } from './mask.js';
import { highFrequencyEnergy, sharpnessRatio } from './sharpness.js';
import { blurred, constantImage, ellipseMask, noisy, scrambleWhere, sharpened, texturedImage } from './testImages.js';

const W = 64, H = 56;
const img = texturedImage(W, H, 11);

describe('high-frequency energy / sharpness ratio', () => {
  it('a flat image has no energy; a checkerboard has the Laplacian value squared', () => {
    expect(highFrequencyEnergy(constantImage(W, H, 90), W, H)).toBe(0);
    // Checkerboard 0/100 (grey): Laplacian at every interior pixel is +-400.
    const cb = new Uint8Array(W * H * 3);
    for (let p = 0; p < W * H; p++) if (((p % W) + Math.floor(p / W)) % 2) cb.fill(100, 3 * p, 3 * p + 3);
    expect(highFrequencyEnergy(cb, W, H)).toBeCloseTo(400 * 400, 3);
  });

  it('is 1 for identical frames, < 1 for a blurred copy, > 1 for sharpened or noisy ones', () => {
    expect(sharpnessRatio(img, img, W, H)).toBe(1);
    const b1 = sharpnessRatio(blurred(img, W, H, 1), img, W, H);
    const b3 = sharpnessRatio(blurred(img, W, H, 3), img, W, H);
    expect(b1).toBeLessThan(0.8);
    expect(b3).toBeLessThan(b1);
    expect(sharpnessRatio(sharpened(img, W, H, 1), img, W, H)).toBeGreaterThan(1.5);
    expect(sharpnessRatio(noisy(img, 40), img, W, H)).toBeGreaterThan(1.5);
  });

  it('with a mask reads no pixel outside it', () => {
    const mask = ellipseMask(W, H);
    const out = blurred(img, W, H, 1);
    const base = sharpnessRatio(out, img, W, H, mask);
    expect(base).toBeLessThan(1);
    const scrambled = scrambleWhere(out, (p) => mask[p] === 1);
    expect(sharpnessRatio(scrambled, img, W, H, mask)).toBe(base);
    expect(sharpnessRatio(scrambled, img, W, H)).toBeGreaterThan(sharpnessRatio(out, img, W, H) * 2);
    // Noise inside the mask's interior is seen.
    const inner = erodeMask(mask, W, H, 2);
    expect(sharpnessRatio(scrambleWhere(out, (p) => inner[p] === 0), img, W, H, mask)).toBeGreaterThan(base * 2);
  });

  it('guards a flat real frame and reports an empty mask as NaN', () => {
    const flat = constantImage(W, H, 128);
    expect(sharpnessRatio(flat, flat, W, H)).toBe(1);
    expect(sharpnessRatio(img, flat, W, H)).toBe(Number.POSITIVE_INFINITY);
    // A one-pixel-wide mask has no pixel whose 4 neighbours are inside.
    const line = new Uint8Array(W * H).fill(1, 10 * W, 11 * W);
    expect(highFrequencyEnergy(img, W, H, line)).toBeNaN();
    expect(sharpnessRatio(img, img, W, H, line)).toBeNaN();
  });
});
