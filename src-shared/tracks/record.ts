import { SH_COEFFS, type FaceParams } from '../face/params.js';
import { CHANNELS, CHANNEL_COUNT, EXPR_OFFSET, channelIndex } from '../timeline/channels/declarations.js';
import { channelsToParams, paramsToChannels } from '../timeline/channels/face-params.js';

/**
 * One tracked frame as a fixed-size Float32 record, so a track is one flat typed array
 * (cheap to store, seek into and resume). Layout, in floats:
 *   0 status (0 = not tracked yet, 1 = face fitted, 2 = no usable face)
 *   1 confidence 0..1
 *   2.. the channel vector in the channel table's order (timeline/channels/declarations.ts:
 *       head pose, gaze, blinks, expressions), then SH (SH_COEFFS)
 */
export const STATUS_UNTRACKED = 0;
export const STATUS_FACE = 1;
export const STATUS_NO_FACE = 2;

export const REC_STATUS = 0;
export const REC_CONFIDENCE = 1;
/** Where the channel vector starts. */
export const REC_PARAMS = 2;
export const REC_POSE = REC_PARAMS + channelIndex('head.yaw');
export const REC_GAZE = REC_PARAMS + channelIndex('gaze.left.yaw');
export const REC_BLINK = REC_PARAMS + channelIndex('blink.left');
export const REC_EXPRESSION = REC_PARAMS + EXPR_OFFSET;
export const REC_SH = REC_PARAMS + CHANNEL_COUNT;
export const RECORD_FLOATS = REC_SH + SH_COEFFS;

/**
 * The record's channels by name, in layout order: written into every track file's header, so a
 * file written with another layout (a control added or removed) is read by name, never by
 * position.
 */
export const RECORD_CHANNELS: readonly string[] = [
  'status',
  'confidence',
  ...CHANNELS.map((d) => d.recordName),
  ...Array.from({ length: SH_COEFFS }, (_, i) => `sh.${i}`),
];

export function writeRecord(out: Float32Array, frame: number, p: FaceParams, status: number, confidence: number): void {
  const o = frame * RECORD_FLOATS;
  out[o + REC_STATUS] = status;
  out[o + REC_CONFIDENCE] = confidence;
  paramsToChannels(p, out, o + REC_PARAMS);
  out.set(p.sh.subarray(0, SH_COEFFS), o + REC_SH);
}

/** Reads a record into `out` (allocation-free); returns the status. */
export function readRecord(src: Float32Array, frame: number, out: FaceParams): number {
  const o = frame * RECORD_FLOATS;
  channelsToParams(src, out, o + REC_PARAMS);
  out.sh.set(src.subarray(o + REC_SH, o + REC_SH + SH_COEFFS));
  return src[o + REC_STATUS]!;
}

export interface TrackSummary {
  frames: number;
  framesTracked: number;
  framesWithFace: number;
}

export function summarizeTrack(src: Float32Array): TrackSummary {
  const frames = Math.floor(src.length / RECORD_FLOATS);
  let framesTracked = 0;
  let framesWithFace = 0;
  for (let f = 0; f < frames; f++) {
    const s = src[f * RECORD_FLOATS + REC_STATUS];
    if (s !== STATUS_UNTRACKED) framesTracked++;
    if (s === STATUS_FACE) framesWithFace++;
  }
  return { frames, framesTracked, framesWithFace };
}
