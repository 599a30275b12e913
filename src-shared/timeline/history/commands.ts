import { z } from 'zod';
import { PortraitError } from '../../ipc/errors.js';
import type { ChannelId } from '../channels/declarations.js';
import { curveValue, INTERPOLATIONS, type Keyframe } from '../curves/interpolate.js';
import { channelEdit } from '../edits/access.js';
import { mergeKeys, partitionKeys, removeKeysInRange, withAutoSlopes } from '../edits/keys.js';
import {
  ChannelIdSchema,
  KeyframeSchema,
  TransferSettingsSchema,
  type ChannelEdit,
  type TimelineEdits,
} from '../edits/schema.js';
import { channelValue, type TimelineDoc } from '../evaluate/evaluate.js';
import { withChannel } from '../tracks/base-tracks.js';

/**
 * Every edit is a plain, serialisable command object (so it can cross IPC, be logged and be
 * replayed). applyCommand is pure: it returns a new document and shares every untouched
 * part with the old one, which is what makes undo snapshots cheap.
 */

const frame = z.number();
const frames = z.array(frame);

export const CommandSchema = z.discriminatedUnion('type', [
  /** Adds keys; a key on an existing key's frame replaces it. */
  z.object({ type: z.literal('addKeys'), channel: ChannelIdSchema, keys: z.array(KeyframeSchema) }),
  z.object({ type: z.literal('deleteKeys'), channel: ChannelIdSchema, frames }),
  /** Shifts the listed keys in time and value; moved keys replace keys they land on. */
  z.object({ type: z.literal('moveKeys'), channel: ChannelIdSchema, frames, dFrame: z.number(), dValue: z.number() }),
  /** Bezier without explicit slopes gets auto (smooth) tangents. */
  z.object({
    type: z.literal('setInterpolation'),
    channel: ChannelIdSchema,
    frames,
    interp: z.enum(INTERPOLATIONS),
    inSlope: z.number().optional(),
    outSlope: z.number().optional(),
  }),
  /** Pastes a clipboard whose key frames are relative to its start at frame `at`. */
  z.object({
    type: z.literal('pasteKeys'),
    at: frame,
    clip: z.array(z.object({ channel: ChannelIdSchema, keys: z.array(KeyframeSchema) })),
  }),
  /** Scales key times about `pivot` (all keys when `frames` is omitted); tangents follow so shapes are kept. */
  z.object({
    type: z.literal('scaleKeys'),
    channel: ChannelIdSchema,
    frames: frames.optional(),
    pivot: frame,
    factor: z.number().positive(),
  }),
  /** Freezes what the channel shows over [start, end]: into per-frame keys, or into the base track. */
  z.object({
    type: z.literal('bake'),
    channel: ChannelIdSchema,
    start: z.number().int(),
    end: z.number().int(),
    into: z.enum(['keys', 'base']),
  }),
  z.object({ type: z.literal('resetChannel'), channel: ChannelIdSchema }),
  z.object({
    type: z.literal('setFlags'),
    channel: ChannelIdSchema,
    mute: z.boolean().optional(),
    solo: z.boolean().optional(),
    lock: z.boolean().optional(),
  }),
  z.object({ type: z.literal('hold'), channel: ChannelIdSchema, start: z.number().int().nonnegative(), end: z.number().int().nonnegative() }),
  z.object({ type: z.literal('removeHold'), channel: ChannelIdSchema, start: z.number().int(), end: z.number().int() }),
  z.object({ type: z.literal('setTransfer'), settings: TransferSettingsSchema }),
]);
export type Command = z.infer<typeof CommandSchema>;

/** Validates a command from outside (IPC, CLI, a clipboard); throws BAD_REQUEST. */
export function parseCommand(raw: unknown): Command {
  const r = CommandSchema.safeParse(raw);
  if (!r.success) throw new PortraitError('BAD_REQUEST', 'Invalid timeline command', r.error.issues);
  return r.data;
}

function bad(message: string): never {
  throw new PortraitError('BAD_REQUEST', message);
}

function setChannel(e: TimelineEdits, id: ChannelId, c: ChannelEdit | undefined): TimelineEdits {
  const channels = { ...e.channels };
  if (c === undefined) delete channels[id];
  else channels[id] = c;
  return { ...e, channels };
}

function setKeys(doc: TimelineDoc, id: ChannelId, keys: Keyframe[]): TimelineDoc {
  return { ...doc, edits: setChannel(doc.edits, id, { ...channelEdit(doc.edits, id), keys }) };
}

function assertUnlocked(doc: TimelineDoc, id: ChannelId): void {
  if (channelEdit(doc.edits, id).lock) bad(`Channel ${id} is locked`);
}

function keysOf(doc: TimelineDoc, id: ChannelId): readonly Keyframe[] {
  return channelEdit(doc.edits, id).keys;
}

export function applyCommand(doc: TimelineDoc, cmd: Command): TimelineDoc {
  switch (cmd.type) {
    case 'addKeys':
      assertUnlocked(doc, cmd.channel);
      return setKeys(doc, cmd.channel, mergeKeys(keysOf(doc, cmd.channel), cmd.keys));
    case 'deleteKeys': {
      assertUnlocked(doc, cmd.channel);
      return setKeys(doc, cmd.channel, partitionKeys(keysOf(doc, cmd.channel), cmd.frames)[1]);
    }
    case 'moveKeys': {
      assertUnlocked(doc, cmd.channel);
      const [sel, rest] = partitionKeys(keysOf(doc, cmd.channel), cmd.frames);
      const moved = sel.map((k) => ({ ...k, frame: k.frame + cmd.dFrame, value: k.value + cmd.dValue }));
      return setKeys(doc, cmd.channel, mergeKeys(rest, moved));
    }
    case 'setInterpolation': {
      assertUnlocked(doc, cmd.channel);
      const set = new Set(cmd.frames);
      let keys = keysOf(doc, cmd.channel).map((k) =>
        set.has(k.frame)
          ? { ...k, interp: cmd.interp, inSlope: cmd.inSlope ?? k.inSlope, outSlope: cmd.outSlope ?? k.outSlope }
          : k,
      );
      if (cmd.interp === 'bezier' && cmd.inSlope === undefined && cmd.outSlope === undefined) {
        const idx: number[] = [];
        keys.forEach((k, i) => set.has(k.frame) && idx.push(i));
        keys = withAutoSlopes(keys, idx);
      }
      return setKeys(doc, cmd.channel, keys);
    }
    case 'pasteKeys': {
      for (const c of cmd.clip) assertUnlocked(doc, c.channel);
      let d = doc;
      for (const c of cmd.clip) {
        const shifted = c.keys.map((k) => ({ ...k, frame: k.frame + cmd.at }));
        d = setKeys(d, c.channel, mergeKeys(keysOf(d, c.channel), shifted));
      }
      return d;
    }
    case 'scaleKeys': {
      assertUnlocked(doc, cmd.channel);
      const [sel, rest] = partitionKeys(keysOf(doc, cmd.channel), cmd.frames);
      const scaled = sel.map((k) => ({
        ...k,
        frame: cmd.pivot + (k.frame - cmd.pivot) * cmd.factor,
        inSlope: k.inSlope / cmd.factor,
        outSlope: k.outSlope / cmd.factor,
      }));
      return setKeys(doc, cmd.channel, mergeKeys(rest, scaled));
    }
    case 'bake':
      assertUnlocked(doc, cmd.channel);
      return bake(doc, cmd.channel, cmd.start, cmd.end, cmd.into);
    case 'resetChannel': {
      assertUnlocked(doc, cmd.channel);
      const edits = setChannel(doc.edits, cmd.channel, undefined);
      return { ...doc, edits: { ...edits, holds: edits.holds.filter((h) => h.channel !== cmd.channel) } };
    }
    case 'setFlags': {
      const c = { ...channelEdit(doc.edits, cmd.channel) };
      if (cmd.mute !== undefined) c.mute = cmd.mute;
      if (cmd.solo !== undefined) c.solo = cmd.solo;
      if (cmd.lock !== undefined) c.lock = cmd.lock;
      const isDefault = c.keys.length === 0 && !c.mute && !c.solo && !c.lock;
      return { ...doc, edits: setChannel(doc.edits, cmd.channel, isDefault ? undefined : c) };
    }
    case 'hold': {
      assertUnlocked(doc, cmd.channel);
      if (cmd.end < cmd.start) bad('Hold end precedes its start');
      // Newest first: where holds overlap, the latest one the user made is the one shown.
      const h = { channel: cmd.channel, start: cmd.start, end: cmd.end };
      return { ...doc, edits: { ...doc.edits, holds: [h, ...doc.edits.holds] } };
    }
    case 'removeHold': {
      assertUnlocked(doc, cmd.channel);
      const holds = doc.edits.holds.filter((h) => !(h.channel === cmd.channel && h.start === cmd.start && h.end === cmd.end));
      return { ...doc, edits: { ...doc.edits, holds } };
    }
    case 'setTransfer':
      return { ...doc, edits: { ...doc.edits, transfer: structuredCloneSettings(cmd.settings) } };
  }
}

function structuredCloneSettings<T>(s: T): T {
  return JSON.parse(JSON.stringify(s)) as T;
}

/**
 * Bake keeps what the channel shows inside [start, end] (widened to cover any hold it
 * cuts, since a half-removed hold would change value) and makes it plain data: per-frame
 * linear offset keys, or values written into a copy of the base track with the edit
 * removed there. Mute and solo are ignored: baking bakes the channel's own edit.
 */
function bake(doc: TimelineDoc, id: ChannelId, start: number, end: number, into: 'keys' | 'base'): TimelineDoc {
  const n = doc.base.frameCount;
  let lo = Math.max(0, Math.min(start, end));
  let hi = Math.min(n - 1, Math.max(start, end));
  if (lo > hi) return doc;
  for (const h of doc.edits.holds) {
    if (h.channel === id && h.start <= hi && h.end >= lo) {
      lo = Math.min(lo, h.start);
      hi = Math.max(hi, Math.min(h.end, n - 1));
    }
  }
  const forced: TimelineDoc = {
    ...doc,
    edits: setChannel(doc.edits, id, { ...channelEdit(doc.edits, id), mute: false, solo: false }),
  };
  const shown = new Float64Array(hi - lo + 1);
  for (let f = lo; f <= hi; f++) shown[f - lo] = channelValue(forced, id, f, false);

  const holds = doc.edits.holds.filter((h) => !(h.channel === id && h.start <= hi && h.end >= lo));
  const remaining = removeKeysInRange(keysOf(doc, id), lo, hi);
  const base = doc.base.channels[id];
  const c = channelEdit(doc.edits, id);
  if (into === 'keys') {
    const baked: Keyframe[] = [];
    for (let f = lo; f <= hi; f++) baked.push({ frame: f, value: shown[f - lo]! - base[f]!, interp: 'linear', inSlope: 0, outSlope: 0 });
    const edits = setChannel({ ...doc.edits, holds }, id, { ...c, keys: mergeKeys(remaining, baked) });
    return { ...doc, edits };
  }
  const newBase = base.slice();
  for (let f = lo; f <= hi; f++) newBase[f] = shown[f - lo]! - curveValue(remaining, f);
  const keep = remaining.length > 0 || c.mute || c.solo || c.lock;
  const edits = setChannel({ ...doc.edits, holds }, id, keep ? { ...c, keys: remaining } : undefined);
  return { base: withChannel(doc.base, id, newBase), edits };
}
