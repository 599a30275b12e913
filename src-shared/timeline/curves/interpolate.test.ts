import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addCurveRange, confineKeys, curveValue, heldEnds, INTERPOLATIONS, key, segmentValue, type Keyframe } from './interpolate.js';

const arbKeys = fc
  .uniqueArray(
    fc.record({
      frame: fc.integer({ min: 0, max: 200 }),
      value: fc.double({ min: -50, max: 50, noNaN: true }),
      interp: fc.constantFrom(...INTERPOLATIONS),
      inSlope: fc.double({ min: -5, max: 5, noNaN: true }),
      outSlope: fc.double({ min: -5, max: 5, noNaN: true }),
    }),
    { minLength: 1, maxLength: 12, selector: (k) => k.frame },
  )
  .map((ks) => ks.sort((a, b) => a.frame - b.frame) as Keyframe[]);

/** Numerical slope by central or one-sided differences. */
const slope = (fn: (f: number) => number, f: number, side: -1 | 1, h = 1e-5) => (side * (fn(f + side * h) - fn(f))) / h;

describe('interpolation', () => {
  it('passes through every key and extrapolates as constants', () => {
    fc.assert(
      fc.property(arbKeys, (keys) => {
        for (const k of keys) expect(curveValue(keys, k.frame)).toBeCloseTo(k.value, 9);
        expect(curveValue(keys, keys[0]!.frame - 10)).toBe(keys[0]!.value);
        expect(curveValue(keys, keys.at(-1)!.frame + 10)).toBe(keys.at(-1)!.value);
      }),
    );
    expect(curveValue([], 3)).toBe(0);
  });

  it('is continuous at keys for every interpolation except step', () => {
    fc.assert(
      fc.property(arbKeys, (keys) => {
        for (let i = 1; i < keys.length; i++) {
          const prev = keys[i - 1]!;
          if (prev.interp === 'step') continue;
          const k = keys[i]!;
          expect(segmentValue(prev, k, k.frame - 1e-9)).toBeCloseTo(k.value, 5);
        }
      }),
    );
  });

  it('linear interpolates, step holds the left value until the next key', () => {
    const lin = [key(0, 0), key(10, 5)];
    expect(curveValue(lin, 4)).toBeCloseTo(2);
    const step = [key(0, 1, 'step'), key(10, 5)];
    expect(curveValue(step, 9.999)).toBe(1);
    expect(curveValue(step, 10)).toBe(5);
  });

  it('bezier follows its tangents and is C1 where in and out slopes agree', () => {
    const keys = [key(0, 0, 'bezier', 0, 2), key(10, 4, 'bezier', -1, -1), key(30, 1, 'bezier', 0.5, 0)];
    const fn = (f: number) => curveValue(keys, f);
    expect(slope(fn, 0, 1)).toBeCloseTo(2, 3);
    expect(slope(fn, 10, -1)).toBeCloseTo(-1, 3);
    expect(slope(fn, 10, 1)).toBeCloseTo(-1, 3);
    expect(slope(fn, 30, -1)).toBeCloseTo(0.5, 3);
    // Tangent continuity across any smooth key, for random values and slopes.
    fc.assert(
      fc.property(
        fc.double({ min: -10, max: 10, noNaN: true }),
        fc.double({ min: -3, max: 3, noNaN: true }),
        fc.integer({ min: 1, max: 40 }),
        (v, s, gap) => {
          const ks = [key(0, 0, 'bezier'), key(gap, v, 'bezier', s, s), key(gap + 17, -v, 'bezier')];
          const g = (f: number) => curveValue(ks, f);
          expect(slope(g, gap, -1, 1e-4)).toBeCloseTo(slope(g, gap, 1, 1e-4), 2);
        },
      ),
    );
  });

  it('ease presets start/end flat as named and equal the matching bezier tangents', () => {
    const dv = 6;
    const dt = 12;
    const k1 = key(dt, dv);
    const ease = (interp: Keyframe['interp']) => (f: number) => segmentValue(key(0, 0, interp), k1, f);
    const bez = (out: number, inS: number) => (f: number) => segmentValue(key(0, 0, 'bezier', 0, out), key(dt, dv, 'linear', inS), f);
    const m = dv / dt;
    for (let f = 0; f <= dt; f += 0.5) {
      expect(ease('easeIn')(f)).toBeCloseTo(bez(0, 2 * m)(f), 9);
      expect(ease('easeOut')(f)).toBeCloseTo(bez(2 * m, 0)(f), 9);
      expect(ease('easeInOut')(f)).toBeCloseTo(bez(0, 0)(f), 9);
      // Eases stay between the endpoints and never go backwards.
      for (const p of ['easeIn', 'easeOut', 'easeInOut'] as const) {
        expect(ease(p)(f)).toBeGreaterThanOrEqual(0);
        expect(ease(p)(f)).toBeLessThanOrEqual(dv);
        expect(ease(p)(f + 0.5 > dt ? dt : f + 0.5)).toBeGreaterThanOrEqual(ease(p)(f) - 1e-12);
      }
    }
    expect(slope(ease('easeIn'), 0, 1)).toBeCloseTo(0, 3);
    expect(slope(ease('easeOut'), dt, -1)).toBeCloseTo(0, 3);
    expect(slope(ease('easeInOut'), 0, 1)).toBeCloseTo(0, 3);
    expect(slope(ease('easeInOut'), dt, -1)).toBeCloseTo(0, 3);
    expect(ease('easeInOut')(dt / 2)).toBeCloseTo(dv / 2, 12);
    expect(ease('easeIn')(dt / 2)).toBeLessThan(dv / 2);
    expect(ease('easeOut')(dt / 2)).toBeGreaterThan(dv / 2);
  });

  it('the range walker gives the same values as point evaluation', () => {
    fc.assert(
      fc.property(arbKeys, fc.integer({ min: -20, max: 180 }), fc.integer({ min: 0, max: 80 }), (keys, start, count) => {
        const out = new Float32Array(count).fill(1);
        addCurveRange(keys, start, count, out);
        for (let j = 0; j < count; j++) expect(out[j]).toBeCloseTo(Math.fround(1 + curveValue(keys, start + j)), 4);
      }),
    );
  });
});

describe('held ends (issue 16 item 4: one key offsets the whole clip)', () => {
  it('a single non-zero key holds over the whole clip on both sides', () => {
    expect(heldEnds([key(20, 15)], 72)).toEqual([
      { start: 0, end: 19, value: 15 },
      { start: 21, end: 71, value: 15 },
    ]);
  });
  it('zero end keys, or end keys on the clip ends, hold nothing', () => {
    expect(heldEnds([key(10, 0), key(20, 15), key(30, 0)], 72)).toEqual([]);
    expect(heldEnds([key(0, 5), key(71, 5)], 72)).toEqual([]);
    expect(heldEnds([], 72)).toEqual([]);
  });
  it('confineKeys adds zero keys only on the sides that hold, clamped to the clip', () => {
    const keys = [key(20, 15)];
    const added = confineKeys(keys, 8, 32, 72);
    expect(added.map((k) => [k.frame, k.value])).toEqual([[8, 0], [32, 0]]);
    // After adding them, nothing holds any more and the key's frame still has its offset.
    const all = [...keys, ...added].sort((a, b) => a.frame - b.frame);
    expect(heldEnds(all, 72)).toEqual([]);
    expect(curveValue(all, 20)).toBe(15);
    expect(curveValue(all, 0)).toBe(0);
    expect(confineKeys([key(10, 0), key(20, 15), key(30, 0)], 0, 71, 72)).toEqual([]);
    expect(confineKeys([key(2, 4)], -12, 14, 72).map((k) => k.frame)).toEqual([0, 14]);
  });
});
