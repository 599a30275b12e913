import { CHANNELS, HEAD_CHANNELS, type ChannelId, type HeadChannel } from '../channels/declarations.js';
import type { TransferSettings } from '../edits/schema.js';
import type { BaseTracks } from '../tracks/base-tracks.js';
import { sourceFrameAt, sampleLinear } from './resample.js';
import { restPose, type RestPose } from './rest-pose.js';

export interface TransferResult {
  tracks: BaseTracks;
  sourceRest: RestPose;
  targetRest: RestPose;
  /** Target frames that received source motion (1) or kept the target's own (0). */
  covered: Uint8Array;
}

const isHead = new Set<ChannelId>(HEAD_CHANNELS);

/**
 * Maps source motion onto the target's timeline (target fps and length, target lighting).
 * Head pose moves relative to each actor's rest pose, target = targetRest + (source -
 * sourceRest) * gain, so the target keeps its own framing; expression, gaze and blink are
 * taken as is, times their gain. A disabled group, a target frame outside the trimmed and
 * offset source clip, or a source frame without a face keeps the target's own values.
 */
export function transfer(source: BaseTracks, target: BaseTracks, s: TransferSettings): TransferResult {
  const n = target.frameCount;
  const channels = {} as Record<ChannelId, Float32Array>;
  for (const d of CHANNELS) channels[d.id] = target.channels[d.id].slice();
  const sourceRest = restPose(source);
  const targetRest = restPose(target);
  const covered = new Uint8Array(n);
  const trimOut = Math.min(s.trimOut ?? source.frameCount, source.frameCount);
  const result: TransferResult = {
    tracks: { ...target, channels, ...(target.valid ? { valid: target.valid.slice() } : {}) },
    sourceRest,
    targetRest,
    covered,
  };
  if (!s.enabled || trimOut <= s.trimIn) return result;

  for (const d of CHANNELS) {
    const g = s.groups[d.group];
    if (!g.enabled) continue;
    const src = source.channels[d.id];
    const dst = channels[d.id];
    const head = isHead.has(d.id);
    const sRest = head ? sourceRest[d.id as HeadChannel] : 0;
    const tRest = head ? targetRest[d.id as HeadChannel] : 0;
    for (let f = 0; f < n; f++) {
      const sf = sourceFrameAt(f, target.fps, source.fps, s.timeOffsetSec, s.trimIn, trimOut);
      if (Number.isNaN(sf)) continue;
      const v = sampleLinear(src, source.valid, sf);
      if (Number.isNaN(v)) continue;
      dst[f] = head ? tRest + (v - sRest) * g.gain : v * g.gain;
      covered[f] = 1;
    }
  }
  return result;
}
