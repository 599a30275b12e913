import { z } from 'zod';
import { PortraitError } from '../../ipc/errors.js';
import { CHANNEL_IDS, CHANNEL_GROUPS, type ChannelGroup, type ChannelId } from '../channels/declarations.js';
import { INTERPOLATIONS, type Keyframe } from '../curves/interpolate.js';

/**
 * The persisted edit document: everything the user changed on top of the base tracks. It is
 * plain JSON so the project store keeps it in project.json `edits` and reopens it exactly.
 */
export const TIMELINE_EDITS_VERSION = 1;

export const ChannelIdSchema = z.enum(CHANNEL_IDS as [ChannelId, ...ChannelId[]]);

export const KeyframeSchema = z.object({
  frame: z.number(),
  value: z.number(),
  interp: z.enum(INTERPOLATIONS),
  inSlope: z.number().default(0),
  outSlope: z.number().default(0),
});

export const ChannelEditSchema = z.object({
  keys: z
    .array(KeyframeSchema)
    .default([])
    .refine((ks) => ks.every((k, i) => i === 0 || k.frame > ks[i - 1]!.frame), 'keys must be strictly increasing in frame'),
  mute: z.boolean().default(false),
  solo: z.boolean().default(false),
  lock: z.boolean().default(false),
});
export interface ChannelEdit {
  keys: Keyframe[];
  mute: boolean;
  solo: boolean;
  lock: boolean;
}

export const HoldSchema = z
  .object({ channel: ChannelIdSchema, start: z.number().int().nonnegative(), end: z.number().int().nonnegative() })
  .refine((h) => h.end >= h.start, 'hold end must not precede its start');
export interface Hold {
  channel: ChannelId;
  /** Inclusive frame range; the channel shows its value at `start` throughout. */
  start: number;
  end: number;
}

export const GroupTransferSchema = z.object({ enabled: z.boolean().default(true), gain: z.number().default(1) });
export interface GroupTransfer {
  enabled: boolean;
  gain: number;
}

export const TransferSettingsSchema = z.object({
  enabled: z.boolean().default(false),
  groups: z
    .object({
      head: GroupTransferSchema.default({ enabled: true, gain: 1 }),
      gaze: GroupTransferSchema.default({ enabled: true, gain: 1 }),
      blink: GroupTransferSchema.default({ enabled: true, gain: 1 }),
      expression: GroupTransferSchema.default({ enabled: true, gain: 1 }),
    })
    .default(() => defaultTransfer().groups),
  /** Target time (seconds) at which the source's trimIn frame plays. */
  timeOffsetSec: z.number().default(0),
  /** First source frame used. */
  trimIn: z.number().int().nonnegative().default(0),
  /** One past the last source frame used; null = to the end. */
  trimOut: z.number().int().nonnegative().nullable().default(null),
  /** Target frames after the (trimmed, offset) source has ended: see AfterSourceEnd. */
  afterEnd: z.enum(['target', 'hold', 'loop', 'ease']).default('target'),
  /** With afterEnd 'ease': target frames over which the motion eases back to the target's own. */
  easeFrames: z.number().int().min(1).max(10_000).default(12),
});
/**
 * What the target does once the source has ended. target: its own tracked motion from the
 * next frame (a cut); hold: the source's last frame, held; loop: the source again from its
 * trim in; ease: from the source's last frame back to the target's own over easeFrames.
 */
export type AfterSourceEnd = 'target' | 'hold' | 'loop' | 'ease';
export interface TransferSettings {
  enabled: boolean;
  groups: Record<ChannelGroup, GroupTransfer>;
  timeOffsetSec: number;
  trimIn: number;
  trimOut: number | null;
  afterEnd: AfterSourceEnd;
  easeFrames: number;
}

export const TimelineEditsSchema = z.object({
  version: z.literal(TIMELINE_EDITS_VERSION),
  channels: z.partialRecord(ChannelIdSchema, ChannelEditSchema).default({}),
  holds: z.array(HoldSchema).default([]),
  transfer: TransferSettingsSchema.default(() => defaultTransfer()),
});
export interface TimelineEdits {
  version: typeof TIMELINE_EDITS_VERSION;
  channels: Partial<Record<ChannelId, ChannelEdit>>;
  holds: Hold[];
  transfer: TransferSettings;
}

export function defaultTransfer(): TransferSettings {
  const groups = {} as Record<ChannelGroup, GroupTransfer>;
  for (const g of CHANNEL_GROUPS) groups[g] = { enabled: true, gain: 1 };
  return { enabled: false, groups, timeOffsetSec: 0, trimIn: 0, trimOut: null, afterEnd: 'target', easeFrames: 12 };
}

export function emptyEdits(): TimelineEdits {
  return { version: TIMELINE_EDITS_VERSION, channels: {}, holds: [], transfer: defaultTransfer() };
}

export function emptyChannelEdit(): ChannelEdit {
  return { keys: [], mute: false, solo: false, lock: false };
}

/**
 * Validates edits read from project.json (an empty object, as a fresh project stores, opens
 * as empty edits). Throws PROJECT_CORRUPT with the zod issues, never a raw zod error.
 */
export function parseEdits(raw: unknown): TimelineEdits {
  if (raw && typeof raw === 'object' && Object.keys(raw).length === 0) return emptyEdits();
  const r = TimelineEditsSchema.safeParse(raw);
  if (!r.success) {
    throw new PortraitError('PROJECT_CORRUPT', 'The timeline edits in this project are invalid', r.error.issues);
  }
  return r.data as TimelineEdits;
}

/** JSON-ready form for project.json `edits` (already plain data; a deep copy so later edits cannot alias it). */
export function serializeEdits(e: TimelineEdits): Record<string, unknown> {
  return JSON.parse(JSON.stringify(e)) as Record<string, unknown>;
}
