import { describe, expect, it } from 'vitest';
import { emptyEdits, emptyTracks, key, type TimelineDoc } from '../../../src-shared/timeline/index.js';
import { boxSelect, dragDelta, hitTest, keyId, layoutKeys, parseKeyId, slopeFromHandle, type Plot } from './curve-geometry.js';

function doc(): TimelineDoc {
  const base = emptyTracks(24, 100);
  base.channels['head.yaw'].fill(5);
  const edits = emptyEdits();
  edits.channels['head.yaw'] = {
    keys: [key(10, 0, 'bezier', 0, 0), key(20, 15, 'bezier', 1, -1), key(30, 0, 'linear')],
    mute: false,
    solo: false,
    lock: false,
  };
  edits.channels['head.pitch'] = { keys: [key(20, 2)], mute: false, solo: false, lock: false };
  return { base, edits };
}

// 10 px per frame from frame 0; values -10..30 over 400 px (10 px per unit), top 0.
const plot: Plot = { time: { start: 0, pxPerFrame: 10 }, value: { min: -10, max: 30 }, top: 0, height: 400 };

describe('curve editor geometry', () => {
  it('draws keys on the shown curve (base + offset)', () => {
    const pts = layoutKeys(['head.yaw'], doc(), plot, new Set());
    expect(pts.map((p) => [p.frame, p.x, p.y])).toEqual([
      [10, 100, 250],
      [20, 200, 100],
      [30, 300, 250],
    ]);
    expect(pts.every((p) => p.inHandle === null && p.outHandle === null)).toBe(true);
  });

  it('shows tangent handles only for selected bezier keys, where a bezier segment touches them', () => {
    const sel = new Set([keyId({ channel: 'head.yaw', frame: 20 }), keyId({ channel: 'head.yaw', frame: 30 })]);
    const pts = layoutKeys(['head.yaw'], doc(), plot, sel);
    const k20 = pts.find((p) => p.frame === 20)!;
    // In: reach 10/3 frames back, slope 1 -> value 20 - 10/3.
    expect(k20.inHandle!.x).toBeCloseTo(200 - 100 / 3, 6);
    expect(k20.inHandle!.y).toBeCloseTo(100 + 100 / 3, 6);
    expect(k20.outHandle!.x).toBeCloseTo(200 + 100 / 3, 6);
    expect(k20.outHandle!.y).toBeCloseTo(100 + 100 / 3, 6);
    // Key 30 is last (no out) and key 20 is bezier, so 30 has an in handle.
    const k30 = pts.find((p) => p.frame === 30)!;
    expect(k30.outHandle).toBeNull();
    expect(k30.inHandle).not.toBeNull();
  });

  it('hit-tests keys within the radius, nearest first, and handles before keys', () => {
    const d = doc();
    const pts = layoutKeys(['head.yaw', 'head.pitch'], d, plot, new Set([keyId({ channel: 'head.yaw', frame: 20 })]));
    expect(hitTest(pts, 103, 252, 6)).toEqual({ kind: 'key', channel: 'head.yaw', frame: 10 });
    expect(hitTest(pts, 120, 252, 6)).toBeNull();
    // head.pitch key at frame 20, value 0 + 2 -> y = 280.
    expect(hitTest(pts, 200, 279, 6)).toEqual({ kind: 'key', channel: 'head.pitch', frame: 20 });
    const out = pts.find((p) => p.frame === 20 && p.channel === 'head.yaw')!.outHandle!;
    expect(hitTest(pts, out.x + 1, out.y, 6)).toEqual({ kind: 'outHandle', channel: 'head.yaw', frame: 20 });
  });

  it('box-selects keys inside a rectangle given by any corners', () => {
    const pts = layoutKeys(['head.yaw', 'head.pitch'], doc(), plot, new Set());
    const got = boxSelect(pts, { x0: 310, y0: 0, x1: 150, y1: 260 }).map(keyId).sort();
    expect(got).toEqual(['head.yaw@20', 'head.yaw@30']);
    expect(boxSelect(pts, { x0: 0, y0: 0, x1: 5, y1: 5 })).toEqual([]);
  });

  it('turns drags into whole-frame shifts and value deltas, and handles into slopes', () => {
    expect(dragDelta(plot, 26, -50)).toEqual({ dFrame: 3, dValue: 5 });
    const k = layoutKeys(['head.yaw'], doc(), plot, new Set())[1]!;
    // Handle dragged 5 frames right and 10 units up: slope 2 per frame.
    expect(slopeFromHandle(plot, k, { x: 250, y: 0 }, 'out')).toBeCloseTo(2, 9);
    // An in handle dragged past its key stays on its side (finite slope).
    expect(Number.isFinite(slopeFromHandle(plot, k, { x: 260, y: 0 }, 'in'))).toBe(true);
  });

  it('round-trips key ids', () => {
    expect(parseKeyId(keyId({ channel: 'expr.jawOpen', frame: 12 }))).toEqual({ channel: 'expr.jawOpen', frame: 12 });
  });
});
