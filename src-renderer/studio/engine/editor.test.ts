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
});
