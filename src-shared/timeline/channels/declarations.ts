import { EXPRESSION_CONTROLS, type ExpressionControl, type FaceParams } from '../../face/params.js';

/**
 * Every editable parameter is declared here once; the UI, the evaluator, transfer and the
 * persisted edit schema all derive from this table so that a channel can never exist in
 * one place and be missing in another.
 */

export type ChannelGroup = 'head' | 'gaze' | 'blink' | 'expression';
export const CHANNEL_GROUPS: readonly ChannelGroup[] = ['head', 'gaze', 'blink', 'expression'];

export const HEAD_CHANNELS = ['head.yaw', 'head.pitch', 'head.roll', 'head.tx', 'head.ty', 'head.tz'] as const;
export const GAZE_CHANNELS = ['gaze.left.yaw', 'gaze.left.pitch', 'gaze.right.yaw', 'gaze.right.pitch'] as const;
export const BLINK_CHANNELS = ['blink.left', 'blink.right'] as const;

export type HeadChannel = (typeof HEAD_CHANNELS)[number];
export type ExpressionChannel = `expr.${ExpressionControl}`;
export type ChannelId = HeadChannel | (typeof GAZE_CHANNELS)[number] | (typeof BLINK_CHANNELS)[number] | ExpressionChannel;

export type ChannelUnit = 'deg' | 'mm' | '';

export interface ChannelDecl {
  id: ChannelId;
  label: string;
  unit: ChannelUnit;
  /** Evaluated values are clamped to [min, max]: wide for pose, the valid range for weights. */
  min: number;
  max: number;
  /** Value of neutralParams(); what a channel shows with no base track. */
  default: number;
  group: ChannelGroup;
  /** The channel's name in a track file's header (src-shared/tracks/record.ts): persisted, never renamed. */
  recordName: string;
  /** Where the channel lives in FaceParams: the one mapping FaceParams <-> channel vector uses. */
  get(p: FaceParams): number;
  set(p: FaceParams, v: number): void;
}

function humanize(camel: string): string {
  return camel.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/^./, (c) => c.toUpperCase());
}

type Field = Pick<ChannelDecl, 'recordName' | 'get' | 'set'>;
const field = (recordName: string, get: (p: FaceParams) => number, set: (p: FaceParams, v: number) => void): Field => ({ recordName, get, set });

const decls: ChannelDecl[] = [
  { id: 'head.yaw', label: 'Head yaw', unit: 'deg', min: -90, max: 90, default: 0, group: 'head', ...field('head.yaw', (p) => p.yaw, (p, v) => (p.yaw = v)) },
  { id: 'head.pitch', label: 'Head pitch', unit: 'deg', min: -90, max: 90, default: 0, group: 'head', ...field('head.pitch', (p) => p.pitch, (p, v) => (p.pitch = v)) },
  { id: 'head.roll', label: 'Head roll', unit: 'deg', min: -180, max: 180, default: 0, group: 'head', ...field('head.roll', (p) => p.roll, (p, v) => (p.roll = v)) },
  { id: 'head.tx', label: 'Head X', unit: 'mm', min: -2000, max: 2000, default: 0, group: 'head', ...field('head.tx', (p) => p.tx, (p, v) => (p.tx = v)) },
  { id: 'head.ty', label: 'Head Y', unit: 'mm', min: -2000, max: 2000, default: 0, group: 'head', ...field('head.ty', (p) => p.ty, (p, v) => (p.ty = v)) },
  // Camera looks down -z, so the head is always at negative z.
  { id: 'head.tz', label: 'Head Z', unit: 'mm', min: -10000, max: -50, default: -600, group: 'head', ...field('head.tz', (p) => p.tz, (p, v) => (p.tz = v)) },
  { id: 'gaze.left.yaw', label: 'Left eye yaw', unit: 'deg', min: -60, max: 60, default: 0, group: 'gaze', ...field('gazeLeft.yaw', (p) => p.gazeLeft.yaw, (p, v) => (p.gazeLeft.yaw = v)) },
  { id: 'gaze.left.pitch', label: 'Left eye pitch', unit: 'deg', min: -60, max: 60, default: 0, group: 'gaze', ...field('gazeLeft.pitch', (p) => p.gazeLeft.pitch, (p, v) => (p.gazeLeft.pitch = v)) },
  { id: 'gaze.right.yaw', label: 'Right eye yaw', unit: 'deg', min: -60, max: 60, default: 0, group: 'gaze', ...field('gazeRight.yaw', (p) => p.gazeRight.yaw, (p, v) => (p.gazeRight.yaw = v)) },
  { id: 'gaze.right.pitch', label: 'Right eye pitch', unit: 'deg', min: -60, max: 60, default: 0, group: 'gaze', ...field('gazeRight.pitch', (p) => p.gazeRight.pitch, (p, v) => (p.gazeRight.pitch = v)) },
  { id: 'blink.left', label: 'Left blink', unit: '', min: 0, max: 1, default: 0, group: 'blink', ...field('blink.left', (p) => p.blinkLeft, (p, v) => (p.blinkLeft = v)) },
  { id: 'blink.right', label: 'Right blink', unit: '', min: 0, max: 1, default: 0, group: 'blink', ...field('blink.right', (p) => p.blinkRight, (p, v) => (p.blinkRight = v)) },
  ...EXPRESSION_CONTROLS.map(
    (name, k): ChannelDecl => ({
      id: `expr.${name}`,
      label: humanize(name),
      unit: '',
      min: 0,
      max: 1,
      default: 0,
      group: 'expression',
      ...field(`expression.${name}`, (p) => p.expression[k] ?? 0, (p, v) => (p.expression[k] = v)),
    }),
  ),
];

/** In storage order: head, gaze, blink, then expressions in EXPRESSION_CONTROLS order. */
export const CHANNELS: readonly ChannelDecl[] = decls;
export const CHANNEL_COUNT = decls.length;
export const CHANNEL_IDS: readonly ChannelId[] = decls.map((d) => d.id);

const indexById = new Map<string, number>(decls.map((d, i) => [d.id, i]));
const declById = new Map<string, ChannelDecl>(decls.map((d) => [d.id, d]));

export function isChannelId(id: string): id is ChannelId {
  return indexById.has(id);
}

export function channelIndex(id: ChannelId): number {
  const i = indexById.get(id);
  if (i === undefined) throw new RangeError(`unknown channel ${id}`);
  return i;
}

export function channelDecl(id: ChannelId): ChannelDecl {
  const d = declById.get(id);
  if (!d) throw new RangeError(`unknown channel ${id}`);
  return d;
}

/** Index of the first expression channel; expression k is channel EXPR_OFFSET + k. */
export const EXPR_OFFSET = HEAD_CHANNELS.length + GAZE_CHANNELS.length + BLINK_CHANNELS.length;
