import { describe, expect, it } from 'vitest';
import { clampFrame, fitFrames, fitValues, follow, frameToX, panBy, tickStep, ticks, timecode, valueToY, xToFrame, xToFrameSnapped, yToValue, zoomAt } from './time-map.js';

describe('time <-> pixel mapping', () => {
  const v = { start: 10, pxPerFrame: 4 };
  it('round-trips frames and pixels', () => {
    for (const f of [0, 10, 12.5, 99]) expect(xToFrame(v, frameToX(v, f))).toBeCloseTo(f, 9);
    expect(frameToX(v, 10)).toBe(0);
    expect(frameToX(v, 15)).toBe(20);
  });
  it('snaps and clamps to the clip', () => {
    expect(xToFrameSnapped(v, 21, 100)).toBe(15);
    expect(xToFrameSnapped(v, -1000, 100)).toBe(0);
    expect(xToFrameSnapped(v, 1e6, 100)).toBe(99);
    expect(clampFrame(5, 0)).toBe(0);
  });
  it('zooms about the cursor and pans by pixels', () => {
    const z = zoomAt(v, 40, 2);
    expect(z.pxPerFrame).toBe(8);
    expect(xToFrame(z, 40)).toBeCloseTo(xToFrame(v, 40), 9);
    const p = panBy(v, 40);
    expect(p.start).toBe(0);
    expect(zoomAt(v, 0, 1e9).pxPerFrame).toBeLessThanOrEqual(200);
  });
  it('fits a frame range into a width', () => {
    const f = fitFrames(0, 71, 724, 12);
    expect(frameToX(f, 0)).toBeCloseTo(12, 6);
    expect(frameToX(f, 71)).toBeCloseTo(712, 6);
  });
  it('follows the playhead only when it leaves the lane', () => {
    expect(follow(v, 20, 400)).toBe(v);
    const moved = follow(v, 500, 400);
    const x = frameToX(moved, 500);
    expect(x).toBeGreaterThanOrEqual(0);
    expect(x).toBeLessThanOrEqual(400);
  });
  it('spaces labelled ticks at least minPx apart', () => {
    for (const ppf of [0.1, 1, 3, 10, 50]) expect(tickStep(ppf, 24) * ppf).toBeGreaterThanOrEqual(64);
    expect(tickStep(100, 24)).toBe(1);
    expect(ticks({ start: -0.5, pxPerFrame: 10 }, 200, 5)).toEqual([0, 5, 10, 15]);
  });
  it('formats SMPTE timecode HH:MM:SS:FF, always four fields (issue 16, item 3)', () => {
    expect(timecode(0, 24)).toBe('00:00:00:00');
    expect(timecode(23, 24)).toBe('00:00:00:23');
    expect(timecode(24 * 61 + 5, 24)).toBe('00:01:01:05');
    expect(timecode(24 * 3600, 24)).toBe('01:00:00:00');
    expect(timecode(30, 29.97)).toBe('00:00:01:00');
    // A 3:20 clip at 24 fps ends at 00:03:19:23, and the ruler's 30 s mark reads 00:00:30:00.
    expect(timecode(24 * 200 - 1, 24)).toBe('00:03:19:23');
    expect(timecode(24 * 30, 24)).toBe('00:00:30:00');
  });
  it('maps values to y and back, with headroom when fitting', () => {
    const vv = { min: -10, max: 10 };
    expect(valueToY(vv, 10, 5, 100)).toBe(5);
    expect(valueToY(vv, -10, 5, 100)).toBe(105);
    expect(yToValue(vv, valueToY(vv, 3.3, 5, 100), 5, 100)).toBeCloseTo(3.3, 9);
    const f = fitValues(0, 10);
    expect(f.min).toBeLessThan(0);
    expect(f.max).toBeGreaterThan(10);
    const flat = fitValues(2, 2, 4);
    expect(flat.max - flat.min).toBeGreaterThanOrEqual(4);
  });
});
