import { z } from 'zod';

export const AudioStreamInfo = z.object({
  index: z.number().int(),
  codec: z.string(),
  sampleRate: z.number().int().nonnegative(),
  channels: z.number().int().nonnegative(),
});
export type AudioStreamInfo = z.infer<typeof AudioStreamInfo>;

/** What the media probe reports for one file: the fields the studio shows and relies on. */
export const MediaInfo = z.object({
  path: z.string(),
  container: z.string(),
  durationSec: z.number().nonnegative(),
  /** Average frame rate (frames per second). */
  fps: z.number().positive(),
  /** True when the stream's nominal and average rates disagree: decode normalises to `fps`. */
  variableFrameRate: z.boolean(),
  /** Estimated frame count at `fps` over the duration. */
  frameCount: z.number().int().nonnegative(),
  /** Coded size, before rotation. */
  width: z.number().int().positive(),
  height: z.number().int().positive(),
  /** Clockwise rotation to apply for display, in degrees (0, 90, 180, 270). */
  rotation: z.union([z.literal(0), z.literal(90), z.literal(180), z.literal(270)]),
  /** Size as displayed, after rotation. */
  displayWidth: z.number().int().positive(),
  displayHeight: z.number().int().positive(),
  videoCodec: z.string(),
  pixelFormat: z.string(),
  audio: z.array(AudioStreamInfo),
  sizeBytes: z.number().int().nonnegative(),
});
export type MediaInfo = z.infer<typeof MediaInfo>;
