import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPortraitError } from '../../ipc/errors.js';
import { ProjectFile } from '../../project/schema.js';
import { CHANNEL_IDS, CHANNEL_GROUPS } from '../channels/declarations.js';
import { INTERPOLATIONS, key } from '../curves/interpolate.js';
import { emptyEdits, parseEdits, serializeEdits, TIMELINE_EDITS_VERSION, type TimelineEdits } from './schema.js';

// JSON has no -0 (it reads back as 0, the same value), so the generator leaves it out.
const num = fc.double({ min: -1e4, max: 1e4, noNaN: true, noDefaultInfinity: true }).map((x) => (x === 0 ? 0 : x));
const arbChannelEdit = fc.record({
  keys: fc
    .uniqueArray(
      fc.record({
        frame: fc.oneof(fc.integer({ min: 0, max: 5000 }), fc.double({ min: 0, max: 5000, noNaN: true }).map((x) => (x === 0 ? 0 : x))),
        value: num,
        interp: fc.constantFrom(...INTERPOLATIONS),
        inSlope: num,
        outSlope: num,
      }),
      { maxLength: 8, selector: (k) => k.frame },
    )
    .map((ks) => ks.sort((a, b) => a.frame - b.frame)),
  mute: fc.boolean(),
  solo: fc.boolean(),
  lock: fc.boolean(),
});
const arbGroup = fc.record({ enabled: fc.boolean(), gain: num });
const arbEdits: fc.Arbitrary<TimelineEdits> = fc.record({
  version: fc.constant(TIMELINE_EDITS_VERSION),
  channels: fc.dictionary(fc.constantFrom(...CHANNEL_IDS), arbChannelEdit, { maxKeys: 6 }),
  holds: fc.array(
    fc
      .record({ channel: fc.constantFrom(...CHANNEL_IDS), start: fc.nat(3000), len: fc.nat(300) })
      .map(({ channel, start, len }) => ({ channel, start, end: start + len })),
    { maxLength: 4 },
  ),
  transfer: fc.record({
    enabled: fc.boolean(),
    groups: fc.record(Object.fromEntries(CHANNEL_GROUPS.map((g) => [g, arbGroup])) as Record<(typeof CHANNEL_GROUPS)[number], typeof arbGroup>),
    timeOffsetSec: num,
    trimIn: fc.nat(1000),
    trimOut: fc.option(fc.nat(5000), { nil: null }),
    afterEnd: fc.constantFrom('target' as const, 'hold' as const, 'loop' as const, 'ease' as const),
    easeFrames: fc.integer({ min: 1, max: 10_000 }),
  }),
}) as fc.Arbitrary<TimelineEdits>;

describe('TimelineEdits schema', () => {
  it('round-trips any edit document through JSON and project.json exactly', () => {
    const project = {
      schemaVersion: 1,
      id: 'p',
      name: 'n',
      createdAt: 'x',
      updatedAt: 'x',
      media: {},
    };
    fc.assert(
      fc.property(arbEdits, (edits) => {
        const json = JSON.stringify({ ...project, edits: serializeEdits(edits) });
        const reopened = ProjectFile.parse(JSON.parse(json));
        expect(parseEdits(reopened.edits)).toEqual(edits);
      }),
      { numRuns: 200 },
    );
  });

  it('opens an empty object (a fresh project) as empty edits and fills defaults', () => {
    expect(parseEdits({})).toEqual(emptyEdits());
    const e = parseEdits({ version: 1, channels: { 'head.yaw': { keys: [{ frame: 3, value: 1, interp: 'linear' }] } } });
    expect(e.channels['head.yaw']).toEqual({ keys: [key(3, 1)], mute: false, solo: false, lock: false });
    expect(e.transfer).toEqual(emptyEdits().transfer);
  });

  it.each([
    ['unknown channel', { version: 1, channels: { 'head.wobble': { keys: [] } } }],
    ['unsorted keys', { version: 1, channels: { 'head.yaw': { keys: [key(5, 0), key(2, 0)] } } }],
    ['duplicate key frames', { version: 1, channels: { 'head.yaw': { keys: [key(2, 0), key(2, 1)] } } }],
    ['bad interpolation', { version: 1, channels: { 'head.yaw': { keys: [{ ...key(2, 0), interp: 'cubic' }] } } }],
    ['reversed hold', { version: 1, holds: [{ channel: 'blink.left', start: 9, end: 3 }] }],
    ['future version', { version: 99 }],
    ['not an object', 'edits'],
  ])('rejects %s with PROJECT_CORRUPT', (_name, raw) => {
    try {
      parseEdits(raw);
      expect.unreachable();
    } catch (e) {
      expect(isPortraitError(e) && e.code).toBe('PROJECT_CORRUPT');
    }
  });
});
