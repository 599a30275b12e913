import { describe, expect, it } from 'vitest';
import { appendReference, meanOfImages, ReferenceIndex, REFERENCE_EXCLUSION_FRAMES } from './reference.js';

const v = (...xs: number[]) => Float32Array.from(xs);
const nearest = (idx: ReferenceIndex, query: Float32Array, frame: number) => idx.nearestK(query, frame, 1)[0];

describe('reference input', () => {
  it('returns the training frame nearest in parameters, never one within the exclusion window of the frame rendered', () => {
    // frame 100 is the query's twin, 400 is close, 900 is far
    const idx = new ReferenceIndex([100, 400, 900], [v(0, 0), v(0.5, 0), v(5, 5)]);
    expect(nearest(idx, v(0, 0), 1000)).toBe(100);
    expect(nearest(idx, v(0, 0), 100)).toBe(400); // itself is excluded
    expect(nearest(idx, v(0, 0), 100 + REFERENCE_EXCLUSION_FRAMES)).toBe(400); // exclusion is inclusive
    expect(nearest(idx, v(0, 0), 100 + REFERENCE_EXCLUSION_FRAMES + 1)).toBe(100);
    expect(nearest(idx, v(4, 4), 0)).toBe(900);
  });

  it('falls back to the nearest of all when every training frame is inside the window (a very short clip)', () => {
    const idx = new ReferenceIndex([3, 4, 5], [v(2), v(1), v(3)], 50);
    expect(nearest(idx, v(1.1), 4)).toBe(4);
  });

  it('k nearest: sorted by distance, outside the exclusion first, topped up from inside it; the mean of their crops', () => {
    const idx = new ReferenceIndex([0, 100, 200, 300, 400], [v(0), v(4), v(1), v(3), v(2)], 50);
    expect(idx.nearestK(v(0), 1000, 3)).toEqual([0, 200, 400]);
    expect(idx.nearestK(v(0), 0, 3)).toEqual([200, 400, 300]); // 0 itself is excluded
    expect(idx.nearestK(v(0), 0, 9)).toEqual([200, 400, 300, 100, 0]); // all five, the excluded last
    expect(meanOfImages([Uint8Array.from([0, 10]), Uint8Array.from([1, 20]), Uint8Array.from([2, 31])], new Uint8Array(2))).toEqual(Uint8Array.from([1, 20]));
  });

  it('refuses an empty or mismatched index', () => {
    expect(() => new ReferenceIndex([], [])).toThrow(RangeError);
    expect(() => new ReferenceIndex([1, 2], [v(0)])).toThrow(RangeError);
  });

  it('appends the reference RGB, mapped to [-1, 1], after each pixel\'s window channels', () => {
    const C = 4;
    const win = Float32Array.from({ length: 2 * C }, (_, i) => i / 10);
    const ref = Uint8Array.from([0, 255, 51, 102, 153, 204]);
    const out = appendReference(win, C, ref, new Float32Array(2 * (C + 3)));
    expect(Array.from(out.subarray(0, C))).toEqual(Array.from(win.subarray(0, C)));
    expect(out[C]).toBe(-1);
    expect(out[C + 1]).toBe(1);
    expect(out[C + 2]).toBeCloseTo(51 / 127.5 - 1, 6);
    expect(Array.from(out.subarray(C + 3, 2 * C + 3))).toEqual(Array.from(win.subarray(C, 2 * C)));
    expect(out[2 * C + 5]).toBeCloseTo(204 / 127.5 - 1, 6);
    expect(() => appendReference(win, C, ref, new Float32Array(5))).toThrow(RangeError);
    expect(() => appendReference(win, C + 1, ref, new Float32Array(20))).toThrow(RangeError);
  });
});
