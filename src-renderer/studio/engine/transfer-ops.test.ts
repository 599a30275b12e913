import { describe, expect, it } from 'vitest';
import { applyCommand, emptyEdits, emptyTracks, type Keyframe, type TimelineEdits } from '../../../src-shared/timeline/index.js';
import { copyKeys, holdsAt, isRangeSet, pasteCommand, rangeOperation } from './transfer-ops.js';

const key = (frame: number, value: number): Keyframe => ({ frame, value, interp: 'linear', inSlope: 0, outSlope: 0 });
function edits(): TimelineEdits {
  const e = emptyEdits();
  e.channels['head.yaw'] = { keys: [key(10, 1), key(14, 2), key(30, 3)], mute: false, solo: false, lock: false };
  e.channels['head.pitch'] = { keys: [key(12, 5), key(40, 6)], mute: false, solo: false, lock: false };
  return e;
}
const unlocked = () => false;

describe('clipboard maths', () => {
  it('makes frames relative to the earliest selected key across channels', () => {
    const clip = copyKeys(edits(), [
      { channel: 'head.pitch', frame: 12 },
      { channel: 'head.yaw', frame: 14 },
      { channel: 'head.yaw', frame: 10 },
    ])!;
    expect(clip.count).toBe(3);
    expect(clip.span).toBe(4);
    const yaw = clip.clip.find((c) => c.channel === 'head.yaw')!;
    const pitch = clip.clip.find((c) => c.channel === 'head.pitch')!;
    expect(yaw.keys.map((k) => [k.frame, k.value])).toEqual([[0, 1], [4, 2]]);
    expect(pitch.keys.map((k) => [k.frame, k.value])).toEqual([[2, 5]]);
  });

  it('ignores refs to missing keys; nothing selected copies nothing', () => {
    expect(copyKeys(edits(), [])).toBeNull();
    expect(copyKeys(edits(), [{ channel: 'head.yaw', frame: 11 }])).toBeNull();
  });

  it('pastes so the first copied key lands on the playhead, as one pasteKeys command', () => {
    const clip = copyKeys(edits(), [{ channel: 'head.yaw', frame: 10 }, { channel: 'head.yaw', frame: 14 }, { channel: 'head.pitch', frame: 12 }]);
    const r = pasteCommand(clip, 50, 72, unlocked);
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.pasted).toBe(3);
    const doc = applyCommand({ base: emptyTracks(24, 72), edits: edits() }, r.value.command);
    expect(doc.edits.channels['head.yaw']!.keys.map((k) => k.frame)).toEqual([10, 14, 30, 50, 54]);
    expect(doc.edits.channels['head.pitch']!.keys.map((k) => k.frame)).toEqual([12, 40, 52]);
  });

  it('drops keys past the clip end, refuses when all would, when empty, or when a channel is locked', () => {
    const clip = copyKeys(edits(), [{ channel: 'head.yaw', frame: 10 }, { channel: 'head.yaw', frame: 30 }]);
    const r = pasteCommand(clip, 60, 72, unlocked);
    expect(r.ok && r.value.pasted === 1 && r.value.dropped === 1).toBe(true);
    expect(pasteCommand(clip, 72, 72, unlocked).ok).toBe(false);
    expect(pasteCommand(null, 0, 72, unlocked).ok).toBe(false);
    expect(pasteCommand(clip, 0, 72, (c) => c === 'head.yaw').ok).toBe(false);
  });
});

describe('range guards', () => {
  it('needs an in/out range other than the whole clip', () => {
    expect(isRangeSet({ in: 0, out: 71 }, 72)).toBe(false);
    expect(isRangeSet({ in: 5, out: 71 }, 72)).toBe(true);
    expect(isRangeSet({ in: 0, out: 20 }, 72)).toBe(true);
    expect(isRangeSet({ in: 0, out: 0 }, 0)).toBe(false);
    const r = rangeOperation('hold', { in: 0, out: 71 }, 72, ['head.yaw'], unlocked);
    expect(r.ok).toBe(false);
    if (!r.ok) expect(r.reason).toMatch(/in\/out range/);
  });

  it('hold needs more than one frame; bake takes a single frame', () => {
    expect(rangeOperation('hold', { in: 20, out: 20 }, 72, ['head.yaw'], unlocked).ok).toBe(false);
    const b = rangeOperation('bake', { in: 20, out: 20 }, 72, ['head.yaw'], unlocked);
    expect(b.ok && b.value.start === 20 && b.value.end === 20).toBe(true);
  });

  it('needs a selected, unlocked channel and skips locked ones', () => {
    expect(rangeOperation('hold', { in: 10, out: 30 }, 72, [], unlocked).ok).toBe(false);
    expect(rangeOperation('bake', { in: 10, out: 30 }, 72, ['head.yaw'], () => true).ok).toBe(false);
    const r = rangeOperation('hold', { in: 10, out: 30 }, 72, ['head.yaw', 'head.pitch'], (c) => c === 'head.pitch');
    expect(r).toEqual({ ok: true, value: { start: 10, end: 30, channels: ['head.yaw'] } });
  });

  it('finds the holds of the shown channels under a frame', () => {
    const holds = [
      { channel: 'head.yaw' as const, start: 10, end: 20 },
      { channel: 'head.pitch' as const, start: 10, end: 20 },
      { channel: 'head.yaw' as const, start: 30, end: 40 },
    ];
    expect(holdsAt(holds, ['head.yaw'], 15)).toEqual([holds[0]]);
    expect(holdsAt(holds, ['head.yaw'], 25)).toEqual([]);
    expect(holdsAt(holds, ['head.yaw', 'head.pitch'], 20)).toHaveLength(2);
  });
});
