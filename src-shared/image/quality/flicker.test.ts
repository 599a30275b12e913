import { describe, expect, it } from 'vitest';
import { flickerRatio, temporalEnergy } from './flicker.js';
import { constantImage, ellipseMask, noisy, rng, scrambleWhere, texturedImage } from './testImages.js';

const W = 40, H = 32, N = 6;

/** A texture panning right by one pixel per frame: smooth motion, like a real head. */
function panning(frames: number): Uint8Array[] {
  const wide = texturedImage(W + frames, H, 21);
  return Array.from({ length: frames }, (_, f) => {
    const out = new Uint8Array(W * H * 3);
    for (let y = 0; y < H; y++) out.set(wide.subarray(3 * (y * (W + frames) + f), 3 * (y * (W + frames) + f + W)), 3 * y * W);
    return out;
  });
}

const real = panning(N);

describe('temporal energy / flicker ratio', () => {
  it('matches a hand-computed value: grey steps of 10 and 30 average to 20', () => {
    const seq = [constantImage(W, H, 100), constantImage(W, H, 110), constantImage(W, H, 80)];
    expect(temporalEnergy(seq)).toBeCloseTo(20, 10);
    // Luma weights: a red-only step of 100 is a luma step of 29.9.
    expect(temporalEnergy([constantImage(W, H, 0, 0, 0), constantImage(W, H, 100, 0, 0)])).toBeCloseTo(29.9, 10);
  });

  it('identical sequences give 1, a static output 0, a noisy one > 1', () => {
    expect(flickerRatio(real, real)).toBe(1);
    expect(flickerRatio(real.map(() => real[0]!), real)).toBe(0);
    const jitter = real.map((f, i) => noisy(f, 40, 100 + i));
    expect(flickerRatio(jitter, real)).toBeGreaterThan(1.5);
  });

  it('with masks, a pixel counts only where both frames of the pair are inside', () => {
    const masks = real.map(() => ellipseMask(W, H));
    const out = real.map((f, i) => noisy(f, 10, 200 + i));
    const base = flickerRatio(out, real, masks);
    const r = rng(5);
    // Outside-mask pixels flicker wildly: invisible to the masked ratio, not to the plain one.
    const wild = out.map((f, i) => scrambleWhere(f, (p) => masks[i]![p] === 1, 300 + i + Math.floor(10 * r())));
    expect(flickerRatio(wild, real, masks)).toBe(base);
    expect(flickerRatio(wild, real)).toBeGreaterThan(2 * flickerRatio(out, real));
    // Disjoint masks in a pair leave nothing to compare: NaN.
    const left = Uint8Array.from({ length: W * H }, (_, p) => (p % W < W / 2 ? 1 : 0));
    const right = left.map((v) => 1 - v);
    expect(temporalEnergy([real[0]!, real[1]!], [left, right])).toBeNaN();
    // A pair's figure uses only the intersection: the right half is changed in frame 1 but is outside frame 0's mask.
    const changedRight = scrambleWhere(real[1]!, (p) => left[p] === 1);
    expect(temporalEnergy([real[0]!, changedRight], [left, new Uint8Array(W * H).fill(1)])).toBe(temporalEnergy([real[0]!, real[1]!], [left, left]));
  });

  it('fewer than two frames give NaN; mismatched inputs throw', () => {
    expect(temporalEnergy([real[0]!])).toBeNaN();
    expect(() => flickerRatio(real, real.slice(1))).toThrow(RangeError);
    expect(() => temporalEnergy(real, [ellipseMask(W, H)])).toThrow(RangeError);
    expect(() => temporalEnergy([real[0]!, real[1]!.subarray(3)])).toThrow(RangeError);
  });
});
