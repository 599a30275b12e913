import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { neutralParams, SH_COEFFS } from '../../face/params.js';
import { CHANNELS, CHANNEL_IDS, channelIndex, type ChannelId } from '../channels/declarations.js';
import { paramsToChannels } from '../channels/face-params.js';
import { INTERPOLATIONS, key } from '../curves/interpolate.js';
import { emptyChannelEdit, emptyEdits, type TimelineEdits } from '../edits/schema.js';
import { syntheticTracks } from '../tracks/synthetic.js';
import { allocRange, channelValue, evaluate, evaluateRange, rangeFrameToParams, type TimelineDoc } from './evaluate.js';

const base = syntheticTracks(30, 300, 3);

function docWith(patch: Partial<TimelineEdits>): TimelineDoc {
  return { base, edits: { ...emptyEdits(), ...patch } };
}

describe('evaluate', () => {
  it('with no edits returns the base track, SH included', () => {
    const doc = docWith({});
    const p = evaluate(doc, 42);
    const v = paramsToChannels(p);
    CHANNEL_IDS.forEach((id, c) => expect(v[c]).toBeCloseTo(base.channels[id][42]!, 5));
    expect([...p.sh]).toEqual([...base.sh!.subarray(42 * SH_COEFFS, 43 * SH_COEFFS)]);
    const noSh = evaluate({ base: { ...base, sh: undefined }, edits: emptyEdits() }, 42);
    expect([...noSh.sh]).toEqual([...neutralParams().sh]);
  });

  it('adds the keyframed offset curve to the base', () => {
    const doc = docWith({ channels: { 'head.yaw': { ...emptyChannelEdit(), keys: [key(10, 0), key(20, 10)] } } });
    expect(evaluate(doc, 15).yaw).toBeCloseTo(base.channels['head.yaw'][15]! + 5, 5);
    expect(evaluate(doc, 100).yaw).toBeCloseTo(base.channels['head.yaw'][100]! + 10, 5);
    expect(evaluate(doc, 100).pitch).toBeCloseTo(base.channels['head.pitch'][100]!, 5);
  });

  it('mute drops a channel edit; solo keeps only soloed channels edits', () => {
    const k = { ...emptyChannelEdit(), keys: [key(0, 5)] };
    const yaw = (d: TimelineDoc) => evaluate(d, 50).yaw - base.channels['head.yaw'][50]!;
    const pitch = (d: TimelineDoc) => evaluate(d, 50).pitch - base.channels['head.pitch'][50]!;
    expect(yaw(docWith({ channels: { 'head.yaw': { ...k, mute: true }, 'head.pitch': k } }))).toBeCloseTo(0, 5);
    const solo = docWith({ channels: { 'head.yaw': k, 'head.pitch': { ...k, solo: true } } });
    expect(yaw(solo)).toBeCloseTo(0, 5);
    expect(pitch(solo)).toBeCloseTo(5, 5);
  });

  it('a hold freezes the channel to its value at the hold start', () => {
    const doc = docWith({ holds: [{ channel: 'blink.left', start: 30, end: 60 }] });
    const at30 = evaluate(doc, 30).blinkLeft;
    for (let f = 30; f <= 60; f++) expect(evaluate(doc, f).blinkLeft).toBe(at30);
    expect(evaluate(doc, 61).blinkLeft).toBeCloseTo(base.channels['blink.left'][61]!, 6);
    expect(evaluate(doc, 61).blinkLeft).not.toBeCloseTo(at30, 3);
  });

  it('clamps to the channel range', () => {
    const doc = docWith({ channels: { 'blink.right': { ...emptyChannelEdit(), keys: [key(0, 5)] } } });
    expect(evaluate(doc, 3).blinkRight).toBe(1);
  });

  it('evaluateRange matches per-frame evaluation for random edits', () => {
    const arb = fc.record({
      keyed: fc.array(
        fc.record({
          ch: fc.constantFrom(...CHANNEL_IDS),
          keys: fc.uniqueArray(
            fc.record({ frame: fc.integer({ min: -5, max: 320 }), value: fc.double({ min: -3, max: 3, noNaN: true }), interp: fc.constantFrom(...INTERPOLATIONS) }),
            { maxLength: 6, selector: (k) => k.frame },
          ),
          mute: fc.boolean(),
          solo: fc.boolean(),
        }),
        { maxLength: 6 },
      ),
      holds: fc.array(fc.record({ channel: fc.constantFrom(...CHANNEL_IDS), start: fc.nat(299), len: fc.nat(60) }), { maxLength: 4 }),
      start: fc.nat(200),
      count: fc.nat(99),
    });
    const out = allocRange(100);
    fc.assert(
      fc.property(arb, ({ keyed, holds, start, count }) => {
        const channels: TimelineEdits['channels'] = {};
        for (const k of keyed) {
          const keys = k.keys.map((x) => key(x.frame, x.value, x.interp, 0.1, -0.2)).sort((a, b) => a.frame - b.frame);
          channels[k.ch] = { keys, mute: k.mute, solo: k.solo && k.mute === false, lock: false };
        }
        const doc = docWith({ channels, holds: holds.map((h) => ({ channel: h.channel, start: h.start, end: Math.min(299, h.start + h.len) })) });
        evaluateRange(doc, start, count, out);
        for (let i = 0; i < count; i += 7) {
          for (let c = 0; c < CHANNELS.length; c += 1) {
            const id = CHANNEL_IDS[c] as ChannelId;
            expect(out[c]![i]).toBeCloseTo(Math.fround(channelValue(doc, id, start + i)), 3);
          }
        }
      }),
      { numRuns: 60 },
    );
  });

  it('rangeFrameToParams reads one frame of a range buffer', () => {
    const doc = docWith({ channels: { 'expr.jawOpen': { ...emptyChannelEdit(), keys: [key(0, 0.2)] } } });
    const out = allocRange(10);
    evaluateRange(doc, 100, 10, out);
    const p = rangeFrameToParams(doc, out, 100, 4, neutralParams());
    const q = evaluate(doc, 104);
    expect(p.expression[0]).toBeCloseTo(q.expression[0]!, 6);
    expect([...p.sh]).toEqual([...q.sh]);
    expect(out[channelIndex('expr.jawOpen')]![4]).toBeCloseTo(q.expression[0]!, 6);
    expect(() => evaluateRange(doc, 295, 10, out)).toThrow(RangeError);
  });
});
