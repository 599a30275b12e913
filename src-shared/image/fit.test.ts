import { describe, expect, it } from 'vitest';
import { fitLetterbox } from './fit.js';

const px = (img: Uint8Array, w: number, x: number, y: number) => Array.from(img.subarray((y * w + x) * 3, (y * w + x) * 3 + 3));

describe('fitLetterbox', () => {
  it('keeps the aspect: a wide picture gets bars above and below, centred', () => {
    const src = new Uint8Array(4 * 2 * 3).fill(200);
    const out = fitLetterbox(src, 4, 2, 8, 8);
    expect(px(out, 8, 4, 0)).toEqual([0, 0, 0]);
    expect(px(out, 8, 4, 4)).toEqual([200, 200, 200]);
    expect(px(out, 8, 4, 7)).toEqual([0, 0, 0]);
    // 4x2 scaled by 2 = 8x4, rows 2..5.
    expect(px(out, 8, 0, 2)).toEqual([200, 200, 200]);
    expect(px(out, 8, 0, 1)).toEqual([0, 0, 0]);
  });
  it('is the identity at the same size and interpolates a gradient when scaling', () => {
    const src = Uint8Array.from({ length: 3 * 1 * 3 }, (_, i) => [0, 100, 200][Math.floor(i / 3)]!);
    expect(Array.from(fitLetterbox(src, 3, 1, 3, 1))).toEqual(Array.from(src));
    const up = fitLetterbox(src, 3, 1, 6, 2);
    const row = [0, 1, 2, 3, 4, 5].map((x) => px(up, 6, x, 0)[0]!);
    for (let i = 1; i < row.length; i++) expect(row[i]!).toBeGreaterThanOrEqual(row[i - 1]!);
    expect(row[0]).toBe(0);
    expect(row[5]).toBe(200);
  });
});
