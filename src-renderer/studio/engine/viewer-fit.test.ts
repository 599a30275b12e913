import { describe, expect, it } from 'vitest';
import { enlargedBox, fitPanels, VIEWER_FIT } from './viewer-fit.js';

const used = (n: number, f: { columns: number; cell: number }) => {
  const rows = Math.ceil(n / f.columns);
  const { gap, titleBar, frame } = VIEWER_FIT;
  return { width: f.columns * (f.cell + frame) + (f.columns - 1) * gap, height: rows * (f.cell + titleBar + frame) + (rows - 1) * gap };
};

describe('fitPanels', () => {
  it('puts seven panels in one screen-wide pane without overflow, as large as they can be', () => {
    const f = fitPanels(7, 980, 420);
    expect(f.fits).toBe(true);
    const u = used(7, f);
    expect(u.width).toBeLessThanOrEqual(980);
    expect(u.height).toBeLessThanOrEqual(420);
    // No other column count gives a larger cell.
    for (let c = 1; c <= 7; c++) {
      const rows = Math.ceil(7 / c);
      const cell = Math.floor(Math.min((980 - 8 * (c - 1)) / c - 2, (420 - 8 * (rows - 1)) / rows - 32));
      expect(cell).toBeLessThanOrEqual(f.cell);
    }
  });

  it('uses one row in a wide short pane and one column in a tall narrow one', () => {
    expect(fitPanels(3, 1200, 300).columns).toBe(3);
    expect(fitPanels(3, 300, 1200).columns).toBe(1);
  });

  it('says when even the smallest useful preview cannot fit, and keeps panels at least that wide', () => {
    const f = fitPanels(7, 400, 150);
    expect(f.fits).toBe(false);
    expect(f.cell).toBeGreaterThanOrEqual(VIEWER_FIT.minCell);
    expect(used(7, f).width).toBeLessThanOrEqual(400);
  });

  it('handles no panels and an unmeasured pane', () => {
    expect(fitPanels(0, 500, 500).fits).toBe(true);
    expect(fitPanels(3, 0, 0).fits).toBe(false);
  });

  it('gives an enlarged panel the whole pane below its title bar', () => {
    expect(enlargedBox(900, 500)).toEqual({ width: 898, height: 468 });
  });
});
