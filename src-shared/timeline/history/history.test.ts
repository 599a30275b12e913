import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPortraitError } from '../../ipc/errors.js';
import { CHANNEL_IDS, type ChannelId } from '../channels/declarations.js';
import { curveValue, INTERPOLATIONS, key } from '../curves/interpolate.js';
import { channelEdit } from '../edits/access.js';
import { emptyEdits, parseEdits, serializeEdits } from '../edits/schema.js';
import { channelValue, type TimelineDoc } from '../evaluate/evaluate.js';
import { syntheticTracks } from '../tracks/synthetic.js';
import { applyCommand, type Command } from './commands.js';
import { History } from './history.js';

const N = 60;
const startDoc = (): TimelineDoc => ({ base: syntheticTracks(30, N, 4), edits: emptyEdits() });

/** Deep, alias-free snapshot: catches a command that mutates a document in place. */
function snapshot(d: TimelineDoc) {
  return {
    edits: JSON.parse(JSON.stringify(d.edits)) as unknown,
    base: CHANNEL_IDS.map((id) => Array.from(d.base.channels[id])),
  };
}

const CH: ChannelId[] = ['head.yaw', 'blink.left', 'expr.jawOpen'];
const ch = fc.constantFrom(...CH);
const fr = fc.integer({ min: 0, max: N - 1 });
const val = fc.double({ min: -2, max: 2, noNaN: true });
const arbKey = fc.record({ frame: fr, value: val, interp: fc.constantFrom(...INTERPOLATIONS), inSlope: val, outSlope: val });
const arbCommand: fc.Arbitrary<Command> = fc.oneof(
  fc.record({ type: fc.constant('addKeys' as const), channel: ch, keys: fc.array(arbKey, { minLength: 1, maxLength: 4 }) }),
  fc.record({ type: fc.constant('deleteKeys' as const), channel: ch, frames: fc.array(fr, { maxLength: 4 }) }),
  fc.record({ type: fc.constant('moveKeys' as const), channel: ch, frames: fc.array(fr, { maxLength: 4 }), dFrame: fc.integer({ min: -5, max: 5 }), dValue: val }),
  fc.record({ type: fc.constant('setInterpolation' as const), channel: ch, frames: fc.array(fr, { maxLength: 4 }), interp: fc.constantFrom(...INTERPOLATIONS) }),
  fc.record({ type: fc.constant('pasteKeys' as const), at: fr, clip: fc.array(fc.record({ channel: ch, keys: fc.array(arbKey, { maxLength: 3 }) }), { maxLength: 2 }) }),
  fc.record({ type: fc.constant('scaleKeys' as const), channel: ch, pivot: fr, factor: fc.constantFrom(0.5, 1.5, 2) }),
  fc.record({ type: fc.constant('bake' as const), channel: ch, start: fr, end: fr, into: fc.constantFrom('keys' as const, 'base' as const) }),
  fc.record({ type: fc.constant('resetChannel' as const), channel: ch }),
  fc.record({ type: fc.constant('setFlags' as const), channel: ch, mute: fc.boolean(), solo: fc.boolean(), lock: fc.boolean() }),
  fc.record({ type: fc.constant('hold' as const), channel: ch, start: fr, end: fr }),
);
/** Each step is a single command or a transaction of several. */
const arbSteps = fc.array(fc.array(arbCommand, { minLength: 1, maxLength: 3 }), { maxLength: 25 });

describe('History', () => {
  it('undo all returns to the start, redo all to the end, every step exact (random command sequences)', () => {
    fc.assert(
      fc.property(arbSteps, (steps) => {
        const h = new History(startDoc());
        const states = [snapshot(h.doc)];
        for (const step of steps) {
          const before = h.doc;
          try {
            if (step.length === 1) h.execute(step[0]!);
            else h.transact('group', () => step.forEach((c) => h.execute(c)));
          } catch (e) {
            // Only a locked channel or an inverted hold may refuse a command, and then nothing changes.
            expect(isPortraitError(e) && e.code).toBe('BAD_REQUEST');
            expect(h.doc).toBe(before);
            continue;
          }
          states.push(snapshot(h.doc)); // every accepted step is one undo entry, even a no-op
        }
        const end = states.at(-1)!;
        for (let i = states.length - 2; i >= 0; i--) {
          expect(h.undo()).toBe(true);
          expect(snapshot(h.doc)).toEqual(states[i]);
        }
        expect(h.undo()).toBe(false);
        for (let i = 1; i < states.length; i++) {
          expect(h.redo()).toBe(true);
          expect(snapshot(h.doc)).toEqual(states[i]);
        }
        expect(h.redo()).toBe(false);
        expect(snapshot(h.doc)).toEqual(end);
        // The edits reopen exactly from what the project store would save.
        expect(parseEdits(JSON.parse(JSON.stringify(serializeEdits(h.doc.edits))))).toEqual(h.doc.edits);
      }),
      { numRuns: 150 },
    );
  });

  it('commands are serialisable: replaying them from JSON rebuilds the same document', () => {
    fc.assert(
      fc.property(fc.array(arbCommand, { maxLength: 20 }), (cmds) => {
        const h = new History(startDoc());
        const done: Command[] = [];
        for (const c of cmds) {
          try {
            h.execute(c);
            done.push(c);
          } catch {
            /* refused (locked): not part of the log */
          }
        }
        const replayed = (JSON.parse(JSON.stringify(done)) as Command[]).reduce(applyCommand, startDoc());
        expect(snapshot(replayed)).toEqual(snapshot(h.doc));
      }),
      { numRuns: 100 },
    );
  });

  it('a transaction is one undo step and rolls back entirely when it throws', () => {
    const h = new History(startDoc());
    h.transact('two keys', () => {
      h.execute({ type: 'addKeys', channel: 'head.yaw', keys: [key(1, 1)] });
      h.execute({ type: 'addKeys', channel: 'head.pitch', keys: [key(2, 2)] });
    });
    expect(h.undoLabel).toBe('two keys');
    h.undo();
    expect(h.doc.edits).toEqual(emptyEdits());
    h.redo();
    const before = h.doc;
    expect(() =>
      h.transact('bad', () => {
        h.execute({ type: 'deleteKeys', channel: 'head.yaw', frames: [1] });
        h.execute({ type: 'addKeys', channel: 'head.nope', keys: [] });
      }),
    ).toThrow();
    expect(h.doc).toBe(before);
    expect(h.undoLabel).toBe('two keys');
  });

  it('steps with the same merge key inside the window are one undo step; outside it, or another key, two', () => {
    const h = new History(startDoc());
    h.execute({ type: 'addKeys', channel: 'head.yaw', keys: [key(5, 0)] });
    const start = h.doc;
    const nudge = (at: number, k = 'nudge:head.yaw@5') =>
      h.transact('Move keys', () => h.execute({ type: 'moveKeys', channel: 'head.yaw', frames: [5], dFrame: 0, dValue: 1 }), { key: k, at, windowMs: 300 });
    nudge(1000);
    nudge(1200);
    nudge(1450); // 250 ms after the previous one: still the same burst
    expect(channelEdit(h.doc.edits, 'head.yaw').keys[0]!.value).toBe(3);
    h.undo();
    expect(h.doc).toBe(start);
    h.redo();
    nudge(2000); // 550 ms later: a new step
    nudge(2100, 'nudge:head.pitch'); // another selection: a new step
    h.undo();
    h.undo();
    expect(channelEdit(h.doc.edits, 'head.yaw').keys[0]!.value).toBe(3);
    // After an undo, a nudge never joins the step that can still be redone.
    nudge(2150);
    expect(h.canRedo).toBe(false);
    h.undo();
    expect(channelEdit(h.doc.edits, 'head.yaw').keys[0]!.value).toBe(3);
  });

  it('a locked channel refuses edits but can be unlocked', () => {
    const h = new History(startDoc());
    h.execute({ type: 'setFlags', channel: 'blink.left', lock: true });
    expect(() => h.execute({ type: 'addKeys', channel: 'blink.left', keys: [key(0, 1)] })).toThrow(/locked/);
    h.execute({ type: 'setFlags', channel: 'blink.left', lock: false });
    h.execute({ type: 'addKeys', channel: 'blink.left', keys: [key(0, 1)] });
    expect(channelEdit(h.doc.edits, 'blink.left').keys).toHaveLength(1);
  });
});

describe('commands', () => {
  const withKeys = (keys = [key(5, 0, 'bezier', 0, 0.3), key(20, 1, 'easeInOut'), key(40, -0.5, 'linear')]): TimelineDoc =>
    applyCommand(startDoc(), { type: 'addKeys', channel: 'head.yaw', keys });

  it('bake keeps what the channel shows in the range, into keys or into the base', () => {
    let doc = withKeys();
    doc = applyCommand(doc, { type: 'hold', channel: 'head.yaw', start: 25, end: 33 });
    const shown = Array.from({ length: N }, (_, f) => channelValue(doc, 'head.yaw', f));
    for (const into of ['keys', 'base'] as const) {
      const baked = applyCommand(doc, { type: 'bake', channel: 'head.yaw', start: 10, end: 30, into });
      // The range widens to the whole hold it cuts (25..33).
      for (let f = 10; f <= 33; f++) expect(channelValue(baked, 'head.yaw', f)).toBeCloseTo(shown[f]!, 3);
      expect(baked.edits.holds).toHaveLength(0);
      if (into === 'base') {
        expect(channelEdit(baked.edits, 'head.yaw').keys.every((k) => k.frame < 10 || k.frame > 33)).toBe(true);
        expect(baked.base.channels['head.yaw']).not.toBe(doc.base.channels['head.yaw']);
        expect(baked.base.channels['head.pitch']).toBe(doc.base.channels['head.pitch']);
      } else {
        expect(channelEdit(baked.edits, 'head.yaw').keys.filter((k) => k.frame >= 10 && k.frame <= 33)).toHaveLength(24);
        expect(baked.base).toBe(doc.base);
      }
    }
  });

  it('scaling keys in time keeps the curve shape (tangents follow)', () => {
    const doc = withKeys();
    const scaled = applyCommand(doc, { type: 'scaleKeys', channel: 'head.yaw', pivot: 5, factor: 1.5 });
    const a = channelEdit(doc.edits, 'head.yaw').keys;
    const b = channelEdit(scaled.edits, 'head.yaw').keys;
    for (let f = 0; f <= 45; f += 0.25) expect(curveValue(b, 5 + (f - 5) * 1.5)).toBeCloseTo(curveValue(a, f), 9);
  });

  it('paste shifts the clip to the paste frame; move and delete act on the listed keys only', () => {
    let doc = withKeys();
    doc = applyCommand(doc, { type: 'pasteKeys', at: 50, clip: [{ channel: 'blink.left', keys: [key(0, 0.2), key(4, 0.8)] }] });
    expect(channelEdit(doc.edits, 'blink.left').keys.map((k) => k.frame)).toEqual([50, 54]);
    doc = applyCommand(doc, { type: 'moveKeys', channel: 'head.yaw', frames: [20], dFrame: 3, dValue: 0.5 });
    expect(channelEdit(doc.edits, 'head.yaw').keys.map((k) => [k.frame, k.value])).toEqual([[5, 0], [23, 1.5], [40, -0.5]]);
    doc = applyCommand(doc, { type: 'moveKeys', channel: 'head.yaw', frames: [23], dFrame: 17, dValue: 0 });
    expect(channelEdit(doc.edits, 'head.yaw').keys.map((k) => [k.frame, k.value])).toEqual([[5, 0], [40, 1.5]]);
    doc = applyCommand(doc, { type: 'deleteKeys', channel: 'head.yaw', frames: [5, 99] });
    expect(channelEdit(doc.edits, 'head.yaw').keys.map((k) => k.frame)).toEqual([40]);
  });

  it('setting bezier without slopes gives smooth auto tangents', () => {
    let doc = withKeys([key(0, 0), key(10, 2), key(20, 0)]);
    doc = applyCommand(doc, { type: 'setInterpolation', channel: 'head.yaw', frames: [0, 10, 20], interp: 'bezier' });
    const keys = channelEdit(doc.edits, 'head.yaw').keys;
    expect(keys[1]!.inSlope).toBe(0);
    const h = 1e-4;
    const l = (curveValue(keys, 10) - curveValue(keys, 10 - h)) / h;
    const r = (curveValue(keys, 10 + h) - curveValue(keys, 10)) / h;
    expect(l).toBeCloseTo(r, 3);
  });

  it('reset clears keys, flags and holds of one channel only', () => {
    let doc = withKeys();
    doc = applyCommand(doc, { type: 'hold', channel: 'head.yaw', start: 1, end: 3 });
    doc = applyCommand(doc, { type: 'hold', channel: 'blink.left', start: 1, end: 3 });
    doc = applyCommand(doc, { type: 'setFlags', channel: 'head.yaw', mute: true });
    doc = applyCommand(doc, { type: 'resetChannel', channel: 'head.yaw' });
    expect(doc.edits.channels['head.yaw']).toBeUndefined();
    expect(doc.edits.holds.map((x) => x.channel)).toEqual(['blink.left']);
  });
});
