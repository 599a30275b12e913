import { describe, expect, it } from 'vitest';
import { BlockedMean, fillUnseen, isFacePixel, LocalTextures, TextureBuilder, type CorrespondenceView } from './texture.js';

const SIZE = 16;

/**
 * A correspondence and gaze image (6 values per pixel, gaze: no eye) of a square "face" whose surface point at pixel
 * (px, py) is (sx, sy) = ((px - ox) / 6 - 1, 1 - (py - oy) / 6) for px in ox..ox+12: the face
 * moved to (ox, oy). Background elsewhere.
 */
function corrAt(ox: number, oy: number): CorrespondenceView {
  const data = new Float32Array(SIZE * SIZE * 6).fill(-1);
  for (let py = oy; py <= oy + 12 && py < SIZE; py++) {
    for (let px = ox; px <= ox + 12 && px < SIZE; px++) {
      const p = py * SIZE + px;
      data[6 * p] = (px - ox) / 6 - 1;
      data[6 * p + 1] = 1 - (py - oy) / 6;
      data[6 * p + 2] = 0.5;
    }
  }
  return { data, stride: 6, offset: 0 };
}

/** The actor's true appearance at surface point (sx, sy): a smooth colour ramp. */
const skin = (sx: number, sy: number): [number, number, number] => [Math.round(100 + 60 * sx), Math.round(120 + 50 * sy), 90];

/** A crop of the face at (ox, oy) over a background of constant `bg`. */
function cropAt(ox: number, oy: number, bg: number): Uint8Array {
  const corr = corrAt(ox, oy).data;
  const out = new Uint8Array(SIZE * SIZE * 3).fill(bg);
  for (let p = 0; p < SIZE * SIZE; p++) {
    if (!isFacePixel(corr[6 * p]!, corr[6 * p + 1]!, corr[6 * p + 2]!)) continue;
    out.set(skin(corr[6 * p]!, corr[6 * p + 1]!), 3 * p);
  }
  return out;
}

describe('unwrapped texture', () => {
  it('carries the appearance seen at some poses onto the geometry of another', () => {
    const b = new TextureBuilder(SIZE, 13, 1);
    b.add(0, cropAt(0, 0, 10), corrAt(0, 0));
    b.add(0, cropAt(3, 2, 30), corrAt(3, 2));
    const out = b.finish().draw(-1, corrAt(2, 3), new Uint8Array(SIZE * SIZE * 3));
    const truth = cropAt(2, 3, 0);
    const corr = corrAt(2, 3).data;
    let worst = 0;
    for (let p = 0; p < SIZE * SIZE; p++) {
      if (!isFacePixel(corr[6 * p]!, corr[6 * p + 1]!, corr[6 * p + 2]!)) continue;
      for (let c = 0; c < 3; c++) worst = Math.max(worst, Math.abs(out[3 * p + c]! - truth[3 * p + c]!));
    }
    // a linear ramp splatted and sampled bilinearly comes back within rounding
    expect(worst).toBeLessThanOrEqual(2);
    // a pixel that was background in both crops shows their mean
    const corner = (SIZE * SIZE - 1) * 3;
    expect(Array.from(out.subarray(corner, corner + 3))).toEqual([20, 20, 20]);
  });

  it('a training frame gets the texture and background of the other blocks only; other frames get all blocks', () => {
    const b = new TextureBuilder(SIZE, 13, 2);
    const flat = (v: number) => new Uint8Array(SIZE * SIZE * 3).fill(v);
    b.add(0, flat(200), corrAt(0, 0));
    b.add(1, flat(100), corrAt(0, 0));
    const s = b.finish();
    const face = 6 * SIZE + 6; // inside the face at (0, 0)
    const bg = SIZE * SIZE - 1; // outside it
    const draw = (block: number) => s.draw(block, corrAt(0, 0), new Uint8Array(SIZE * SIZE * 3));
    expect([draw(0)[3 * face], draw(0)[3 * bg]]).toEqual([100, 100]);
    expect([draw(1)[3 * face], draw(1)[3 * bg]]).toEqual([200, 200]);
    expect([draw(-1)[3 * face], draw(-1)[3 * bg]]).toEqual([150, 150]);
  });

  it('eyes follow the gaze image: eyeball and iris pixels take their classes\' mean colours and stay out of the texture', () => {
    const b = new TextureBuilder(SIZE, 13, 1);
    const view = corrAt(0, 0);
    const eyeAt = (v: typeof view, p: number, cls: 1 | 2) => v.data.set(cls === 1 ? [1, 1, 1] : [-1, -1, 1], 6 * p + 3);
    const crop = new Uint8Array(SIZE * SIZE * 3).fill(100);
    // frame 1: pixel 20 is eyeball (white), 21 iris (dark); frame 2: the eye closed (skin of 100)
    const open = corrAt(0, 0);
    eyeAt(open, 20, 1);
    eyeAt(open, 21, 2);
    crop.set([240, 240, 240], 60);
    crop.set([30, 20, 10], 63);
    b.add(0, crop, open);
    b.add(0, new Uint8Array(SIZE * SIZE * 3).fill(100), view);
    const s = b.finish();
    // drawn with the eye open, looking elsewhere (iris at 22): class colours where the gaze image says
    const look = corrAt(0, 0);
    eyeAt(look, 20, 1);
    eyeAt(look, 22, 2);
    const out = s.draw(-1, look, new Uint8Array(SIZE * SIZE * 3));
    expect(Array.from(out.subarray(60, 66))).toEqual([240, 240, 240, 100, 100, 100]);
    expect(Array.from(out.subarray(66, 69))).toEqual([30, 20, 10]);
    // drawn shut: the lid is the skin seen there (never the eyeball's white)
    const shut = s.draw(-1, view, new Uint8Array(SIZE * SIZE * 3));
    expect(Array.from(shut.subarray(60, 69))).toEqual([100, 100, 100, 100, 100, 100, 100, 100, 100]);
  });

  it('fills texels never seen from their seen neighbours, and grey when nothing was seen', () => {
    const side = 4;
    const mean = new Float64Array(side * side * 3).fill(NaN);
    const weight = new Float64Array(side * side);
    mean.set([40, 50, 60], 0);
    weight[0] = 1;
    const out = fillUnseen(mean, weight, side);
    for (let t = 0; t < side * side; t++) expect(Array.from(out.subarray(3 * t, 3 * t + 3))).toEqual([40, 50, 60]);
    expect(Array.from(fillUnseen(new Float64Array(3).fill(NaN), new Float64Array(1), 1))).toEqual([128, 128, 128]);
  });

  it('blocked mean: leaves one block out, weights shared per entry group, NaN where nothing was seen', () => {
    const m = new BlockedMean(2, 4, 2);
    m.sum(0).set([2, 4, 0, 0]); m.weight(0).set([1, 0]);
    m.sum(1).set([6, 8, 0, 0]); m.weight(1).set([1, 0]);
    const out = new Float64Array(4);
    expect(Array.from(m.meanExcluding(-1, out).subarray(0, 2))).toEqual([4, 6]);
    expect(Array.from(m.meanExcluding(1, out).subarray(0, 2))).toEqual([2, 4]);
    expect(Number.isNaN(m.meanExcluding(-1, out)[3]!)).toBe(true);
    expect(() => new BlockedMean(2, 5, 2)).toThrow(RangeError);
  });

  it('refuses mismatched sizes', () => {
    const b = new TextureBuilder(SIZE, 13, 1);
    expect(() => b.add(0, new Uint8Array(3), corrAt(0, 0))).toThrow(RangeError);
    expect(() => b.finish().draw(-1, corrAt(0, 0), new Uint8Array(3))).toThrow(RangeError);
  });

  it('local textures: the chosen frames\' colours where they saw the texel, the base where none did, weighted by coverage', () => {
    const side = 13;
    const lt = new LocalTextures(SIZE, side, 3);
    const flat = (v: number) => new Uint8Array(SIZE * SIZE * 3).fill(v);
    // slot 0 and 1: the face at (0, 0) in grey 200 and 100; slot 2: a ramp at (5, 5) (seen only partly: the face leaves the crop)
    lt.set(0, flat(200), corrAt(0, 0));
    lt.set(1, flat(100), corrAt(0, 0));
    lt.set(2, cropAt(5, 5, 0), corrAt(5, 5));
    const base = new Float32Array(side * side * 3).fill(40);
    const out = new Float32Array(side * side * 3);
    const mid = (6 * side + 6) * 3;
    // a texel both frames saw equally: their mean, pulled towards the base by its weight
    lt.blend([0, 1], base, 1e-6, out);
    expect(out[mid]!).toBeCloseTo(150, 2);
    lt.blend([0, 1], base, 1, out);
    expect(out[mid]!).toBeGreaterThan(40);
    expect(out[mid]!).toBeLessThan(150);
    // no frame chosen: the base everywhere
    lt.blend([], base, 1, out);
    expect(Array.from(new Set(out))).toEqual([40]);
    // the ramp frame gives the ramp back on the texels it covered, the base on those it did not
    lt.blend([2], base, 1e-6, out);
    const texel = (sx: number, sy: number) => 3 * (Math.round((1 - sy) * 0.5 * (side - 1)) * side + Math.round((sx + 1) * 0.5 * (side - 1)));
    expect(out[texel(-0.5, 0.5)]!).toBeCloseTo(skin(-0.5, 0.5)[0], -0.5);
    expect(out[texel(1, -1) + 1]!).toBe(40); // bottom-right of the surface lies outside the crop at (5, 5)
    expect(() => lt.blend([3], base, 1, out)).toThrow(RangeError);
    expect(() => lt.blend([0], base, 0, out)).toThrow(RangeError);
    expect(() => lt.set(0, flat(1).subarray(3), corrAt(0, 0))).toThrow(RangeError);
  });
});
