import { EXPRESSION_CONTROLS, EXPRESSION_COUNT, SH_COEFFS, type FaceParams } from '../face/params.js';

/**
 * One tracked frame as a fixed-size Float32 record, so a track is one flat typed array
 * (cheap to store, seek into and resume). Layout, in floats:
 *   0 status (0 = not tracked yet, 1 = face fitted, 2 = no usable face)
 *   1 confidence 0..1
 *   2..7 yaw pitch roll (deg) tx ty tz (mm)
 *   8..11 gaze left yaw/pitch, gaze right yaw/pitch (deg)
 *   12..13 blink left/right
 *   14.. expression (EXPRESSION_COUNT), then SH (SH_COEFFS)
 */
export const STATUS_UNTRACKED = 0;
export const STATUS_FACE = 1;
export const STATUS_NO_FACE = 2;

export const REC_STATUS = 0;
export const REC_CONFIDENCE = 1;
export const REC_POSE = 2;
export const REC_GAZE = 8;
export const REC_BLINK = 12;
export const REC_EXPRESSION = 14;
export const REC_SH = REC_EXPRESSION + EXPRESSION_COUNT;
export const RECORD_FLOATS = REC_SH + SH_COEFFS;

/**
 * The record's channels by name, in layout order: written into every track file's header, so a
 * file written with another layout (a control added or removed) is read by name, never by
 * position.
 */
export const RECORD_CHANNELS: readonly string[] = [
  'status',
  'confidence',
  'head.yaw',
  'head.pitch',
  'head.roll',
  'head.tx',
  'head.ty',
  'head.tz',
  'gazeLeft.yaw',
  'gazeLeft.pitch',
  'gazeRight.yaw',
  'gazeRight.pitch',
  'blink.left',
  'blink.right',
  ...EXPRESSION_CONTROLS.map((e) => `expression.${e}`),
  ...Array.from({ length: SH_COEFFS }, (_, i) => `sh.${i}`),
];
if (RECORD_CHANNELS.length !== RECORD_FLOATS) throw new Error('RECORD_CHANNELS does not match the record layout');

export function writeRecord(out: Float32Array, frame: number, p: FaceParams, status: number, confidence: number): void {
  const o = frame * RECORD_FLOATS;
  out[o + REC_STATUS] = status;
  out[o + REC_CONFIDENCE] = confidence;
  out[o + REC_POSE] = p.yaw;
  out[o + REC_POSE + 1] = p.pitch;
  out[o + REC_POSE + 2] = p.roll;
  out[o + REC_POSE + 3] = p.tx;
  out[o + REC_POSE + 4] = p.ty;
  out[o + REC_POSE + 5] = p.tz;
  out[o + REC_GAZE] = p.gazeLeft.yaw;
  out[o + REC_GAZE + 1] = p.gazeLeft.pitch;
  out[o + REC_GAZE + 2] = p.gazeRight.yaw;
  out[o + REC_GAZE + 3] = p.gazeRight.pitch;
  out[o + REC_BLINK] = p.blinkLeft;
  out[o + REC_BLINK + 1] = p.blinkRight;
  out.set(p.expression.subarray(0, EXPRESSION_COUNT), o + REC_EXPRESSION);
  out.set(p.sh.subarray(0, SH_COEFFS), o + REC_SH);
}

/** Reads a record into `out` (allocation-free); returns the status. */
export function readRecord(src: Float32Array, frame: number, out: FaceParams): number {
  const o = frame * RECORD_FLOATS;
  out.yaw = src[o + REC_POSE]!;
  out.pitch = src[o + REC_POSE + 1]!;
  out.roll = src[o + REC_POSE + 2]!;
  out.tx = src[o + REC_POSE + 3]!;
  out.ty = src[o + REC_POSE + 4]!;
  out.tz = src[o + REC_POSE + 5]!;
  out.gazeLeft.yaw = src[o + REC_GAZE]!;
  out.gazeLeft.pitch = src[o + REC_GAZE + 1]!;
  out.gazeRight.yaw = src[o + REC_GAZE + 2]!;
  out.gazeRight.pitch = src[o + REC_GAZE + 3]!;
  out.blinkLeft = src[o + REC_BLINK]!;
  out.blinkRight = src[o + REC_BLINK + 1]!;
  out.expression.set(src.subarray(o + REC_EXPRESSION, o + REC_EXPRESSION + EXPRESSION_COUNT));
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
