import { describe, expect, it } from 'vitest';
import { channelValue, emptyEdits, emptyTracks, type TimelineEdits } from '../../../src-shared/timeline/index.js';
import { StudioEditor } from './editor.js';

function editor(onEdits?: (e: TimelineEdits) => void) {
  const base = emptyTracks(24, 72);
  for (let f = 0; f < 72; f++) base.channels['head.yaw'][f] = f / 10;
  return new StudioEditor({ base, edits: emptyEdits() }, onEdits);
}

describe('studio editor', () => {
  it('keys the selected channel at the playhead without moving the curve, then edits, undoes and redoes', () => {
    const saved: TimelineEdits[] = [];
    const e = editor((x) => saved.push(x));
    e.setFrame(10);
    e.keySelectedAtPlayhead();
    e.setFrame(30);
    e.keySelectedAtPlayhead();
    e.setFrame(20);
    e.keySelectedAtPlayhead();
    expect(channelValue(e.doc.get(), 'head.yaw', 20)).toBeCloseTo(2, 5);
    e.editKey({ channel: 'head.yaw', frame: 20 }, { value: 15 });
    expect(channelValue(e.doc.get(), 'head.yaw', 20)).toBeCloseTo(17, 5);
    expect(channelValue(e.doc.get(), 'head.yaw', 5)).toBeCloseTo(0.5, 5);
    expect(saved.length).toBe(4);
    e.undo();
    expect(channelValue(e.doc.get(), 'head.yaw', 20)).toBeCloseTo(2, 5);
    e.redo();
    expect(channelValue(e.doc.get(), 'head.yaw', 20)).toBeCloseTo(17, 5);
  });

  it('moves and deletes selected keys as single undo steps; a locked channel refuses with a notice', () => {
    const e = editor();
    e.setFrame(10);
    e.keySelectedAtPlayhead();
    e.moveSelectedKeys(5, 3);
    expect(e.doc.get().edits.channels['head.yaw']?.keys.map((k) => [k.frame, k.value])).toEqual([[15, 3]]);
    expect([...e.selection.get().keys]).toEqual(['head.yaw@15']);
    e.deleteSelectedKeys();
    expect(e.doc.get().edits.channels['head.yaw']?.keys).toEqual([]);
    e.undo();
    expect(e.doc.get().edits.channels['head.yaw']?.keys.length).toBe(1);
    e.setFlag('head.yaw', 'lock', true);
    e.setFrame(40);
    e.keySelectedAtPlayhead();
    expect(e.notice.get()?.text).toMatch(/unlocked/);
    e.selectKeys([{ channel: 'head.yaw', frame: 15 }]);
    e.deleteSelectedKeys();
    expect(e.notice.get()?.text).toMatch(/locked/);
    expect(e.doc.get().edits.channels['head.yaw']?.keys.length).toBe(1);
  });

  it('clamps the playhead and keeps the in/out range ordered', () => {
    const e = editor();
    e.setFrame(500);
    expect(e.frame.get()).toBe(71);
    e.setFrame(40);
    e.setOut();
    e.setFrame(50);
    e.setIn();
    expect(e.range.get()).toEqual({ in: 40, out: 40 });
    e.clearRange();
    expect(e.range.get()).toEqual({ in: 0, out: 71 });
  });
});

describe('studio editor transfer', () => {
  it('rebuilds the base from the source when transfer is set, and undo restores the target base', () => {
    const target = emptyTracks(24, 48);
    const source = emptyTracks(24, 48);
    for (let f = 0; f < 48; f++) {
      target.channels['expr.jawOpen'][f] = 0.1;
      source.channels['expr.jawOpen'][f] = f < 24 ? 0.2 : 0.6;
    }
    const saved: TimelineEdits[] = [];
    const e = new StudioEditor({ base: target, edits: emptyEdits() }, (x) => saved.push(x));
    e.setSource(source);
    expect(channelValue(e.doc.get(), 'expr.jawOpen', 30)).toBeCloseTo(0.1, 5);
    const on = { ...e.doc.get().edits.transfer, enabled: true };
    expect(e.setTransfer(on)).toBe(true);
    expect(channelValue(e.doc.get(), 'expr.jawOpen', 30)).toBeCloseTo(0.6, 5);
    expect(saved.at(-1)!.transfer.enabled).toBe(true);
    e.setTransfer({ ...on, groups: { ...on.groups, expression: { enabled: true, gain: 0.5 } } });
    expect(channelValue(e.doc.get(), 'expr.jawOpen', 30)).toBeCloseTo(0.3, 5);
    e.undo();
    expect(channelValue(e.doc.get(), 'expr.jawOpen', 30)).toBeCloseTo(0.6, 5);
    e.undo();
    expect(channelValue(e.doc.get(), 'expr.jawOpen', 30)).toBeCloseTo(0.1, 5);
    expect(saved.at(-1)!.transfer.enabled).toBe(false);
    e.redo();
    e.setSource(null);
    expect(channelValue(e.doc.get(), 'expr.jawOpen', 30)).toBeCloseTo(0.1, 5);
  });
});

describe('studio editor: copy/paste, hold, bake', () => {
  it('copies and pastes keys at the playhead as one undo step', () => {
    const e = editor();
    e.setFrame(10);
    e.keySelectedAtPlayhead();
    e.copySelectedKeys();
    e.setFrame(40);
    e.pasteAtPlayhead();
    expect(e.doc.get().edits.channels['head.yaw']!.keys.map((k) => k.frame)).toEqual([10, 40]);
    expect([...e.selection.get().keys]).toEqual(['head.yaw@40']);
    e.undo();
    expect(e.doc.get().edits.channels['head.yaw']!.keys.map((k) => k.frame)).toEqual([10]);
  });

  it('holds and bakes only with a range set; both undo in one step', () => {
    const e = editor();
    e.holdSelectedOverRange();
    expect(e.doc.get().edits.holds).toEqual([]);
    expect(e.notice.get()?.text).toMatch(/in\/out range/);
    e.setFrame(10);
    e.setIn();
    e.setFrame(20);
    e.setOut();
    e.holdSelectedOverRange();
    expect(e.doc.get().edits.holds).toEqual([{ channel: 'head.yaw', start: 10, end: 20 }]);
    expect(channelValue(e.doc.get(), 'head.yaw', 15)).toBeCloseTo(1, 5);
    e.bakeSelectedRange();
    expect(e.doc.get().edits.holds).toEqual([]);
    expect(e.doc.get().edits.channels['head.yaw']!.keys).toHaveLength(11);
    expect(channelValue(e.doc.get(), 'head.yaw', 15)).toBeCloseTo(1, 5);
    e.undo();
    expect(e.doc.get().edits.holds).toHaveLength(1);
    e.removeHold({ channel: 'head.yaw', start: 10, end: 20 });
    expect(e.doc.get().edits.holds).toEqual([]);
    expect(channelValue(e.doc.get(), 'head.yaw', 15)).toBeCloseTo(1.5, 5);
  });

  it('limits a single key to a local edit with zero keys around it, as one undo step (issue 16 item 4)', () => {
    const e = editor();
    e.setFrame(20);
    e.keySelectedAtPlayhead();
    e.editKey({ channel: 'head.yaw', frame: 20 }, { value: 15 });
    // One key: the offset holds over the whole clip.
    expect(channelValue(e.doc.get(), 'head.yaw', 0)).toBeCloseTo(15, 5);
    expect(channelValue(e.doc.get(), 'head.yaw', 71)).toBeCloseTo(22.1, 4);
    e.confineShownOffsets(12);
    expect(e.doc.get().edits.channels['head.yaw']?.keys.map((k) => [k.frame, k.value])).toEqual([[8, 0], [20, 15], [32, 0]]);
    expect(channelValue(e.doc.get(), 'head.yaw', 0)).toBeCloseTo(0, 5);
    expect(channelValue(e.doc.get(), 'head.yaw', 20)).toBeCloseTo(17, 5);
    expect(e.history.undoLabel).toBe('Limit offset to ±12 frames');
    e.undo();
    expect(channelValue(e.doc.get(), 'head.yaw', 0)).toBeCloseTo(15, 5);
    // Nothing left to limit: a notice, no undo step.
    e.redo();
    e.confineShownOffsets(12);
    expect(e.history.undoLabel).toBe('Limit offset to ±12 frames');
    expect(e.notice.get()?.text).toMatch(/No shown, unlocked channel holds an offset/);
  });

  it('nudges of the same keys within 300 ms are one undo step; undo brings back the selection (issue 16 item 17)', async () => {
    const e = editor();
    let t = 0;
    e.now = () => t;
    e.setFrame(10);
    e.keySelectedAtPlayhead();
    const selected = e.selection.get();
    for (const at of [1000, 1150, 1400]) {
      t = at;
      e.moveSelectedKeys(0, 1, true);
    }
    expect(e.doc.get().edits.channels['head.yaw']?.keys[0]!.value).toBe(3);
    expect(e.history.undoLabel).toBe('Nudge keys');
    await Promise.resolve(); // the user's next action is a later task
    e.selectKeys([]);
    e.undo();
    expect(e.doc.get().edits.channels['head.yaw']?.keys[0]!.value).toBe(0);
    // The selection the nudges started from is back.
    expect([...e.selection.get().keys]).toEqual([...selected.keys]);
    e.redo();
    t = 2000; // later than the window: its own step
    e.moveSelectedKeys(0, 1, true);
    e.undo();
    expect(e.doc.get().edits.channels['head.yaw']?.keys[0]!.value).toBe(3);
  });

  it('undo of a move selects the keys where they were; redo where they went', () => {
    const e = editor();
    e.setFrame(10);
    e.keySelectedAtPlayhead();
    e.moveSelectedKeys(5, 0);
    expect([...e.selection.get().keys]).toEqual(['head.yaw@15']);
    e.undo();
    expect([...e.selection.get().keys]).toEqual(['head.yaw@10']);
    e.redo();
    expect([...e.selection.get().keys]).toEqual(['head.yaw@15']);
  });

  it('undo labels name channels as the channel list does', () => {
    const e = editor();
    e.setFlag('gaze.right.yaw', 'mute', true);
    expect(e.history.undoLabel).toBe('Mute Right eye yaw');
    e.setFlag('gaze.right.yaw', 'mute', false);
    expect(e.history.undoLabel).toBe('Unmute Right eye yaw');
  });

  it('a kept view state (in/out, playhead, panels) carries to a reopened editor, clamped to its clip', () => {
    const a = editor();
    a.setFrame(50);
    a.setIn(40);
    a.setOut(60);
    a.togglePanel('gaze');
    const v = a.viewState();
    const b = new StudioEditor({ base: emptyTracks(24, 48), edits: emptyEdits() });
    b.applyViewState(v);
    expect(b.range.get()).toEqual({ in: 40, out: 47 });
    expect(b.frame.get()).toBe(47);
    expect(b.panels.get().visible.gaze).toBe(false);
  });
});
