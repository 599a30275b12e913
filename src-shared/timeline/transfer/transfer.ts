import { CHANNELS, HEAD_CHANNELS, type ChannelId, type HeadChannel } from '../channels/declarations.js';
import type { TransferSettings } from '../edits/schema.js';
import type { BaseTracks } from '../tracks/base-tracks.js';
import { sourceFrameAt, sourcePosition, sampleLinear } from './resample.js';
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
 * taken as is, times their gain. A disabled group, a target frame before the trimmed and
 * offset source clip, or a source frame without a face keeps the target's own values; past
 * the source's end, settings.afterEnd decides (the target's own, hold, loop, or ease back).
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
    const mapped = (v: number) => (head ? tRest + (v - sRest) * g.gain : v * g.gain);
    let endsAt = -1; // the first target frame past the source's end
    for (let f = 0; f < n; f++) {
      const ph = sourcePlayhead(f, target.fps, source.fps, trimOut, s);
      if (Number.isNaN(ph.at)) continue;
      if (ph.pastEnd && endsAt < 0) endsAt = f;
      const v = sampleLinear(src, source.valid, ph.at);
      if (Number.isNaN(v)) continue;
      if (s.afterEnd === 'ease' && endsAt >= 0 && f >= endsAt) {
        // From the source's last value (held at endsAt) to the target's own, smoothstep.
        const k = (f - endsAt + 1) / (s.easeFrames + 1);
        if (k >= 1) continue;
        const w = k * k * (3 - 2 * k);
        dst[f] = (1 - w) * mapped(v) + w * dst[f]!;
      } else dst[f] = mapped(v);
      covered[f] = 1;
    }
  }
  return result;
}

/**
 * Where the source plays at target frame f, in fractional source frames, with the after-end
 * mode applied (hold and ease: its last frame; loop: wrapped); NaN where the target keeps its
 * own motion (before the source starts, or past its end with afterEnd 'target'). `pastEnd`: f
 * lies past the source's last frame. transfer() and the render's compare layout share it.
 */
export function sourcePlayhead(
  f: number,
  targetFps: number,
  sourceFps: number,
  trimOut: number,
  s: Pick<TransferSettings, 'timeOffsetSec' | 'trimIn' | 'afterEnd'>,
): { at: number; pastEnd: boolean } {
  const sf = sourceFrameAt(f, targetFps, sourceFps, s.timeOffsetSec, s.trimIn, trimOut);
  if (!Number.isNaN(sf)) return { at: sf, pastEnd: false };
  const pos = sourcePosition(f, targetFps, sourceFps, s.timeOffsetSec, s.trimIn);
  const pastEnd = pos > trimOut - 1;
  if (!pastEnd || s.afterEnd === 'target') return { at: NaN, pastEnd };
  if (s.afterEnd !== 'loop') return { at: trimOut - 1, pastEnd };
  const len = trimOut - s.trimIn;
  const at = s.trimIn + ((((pos - s.trimIn) % len) + len) % len);
  return { at: Math.min(at, trimOut - 1), pastEnd }; // the sub-frame between the last frame and the wrap
}

/**
 * The source frame whose picture goes with target frame f (for a side-by-side view): the
 * nearest whole frame of sourcePlayhead, or null where the target shows its own motion (and,
 * with 'ease', once the ease back to the target's own motion is over).
 */
export function sourceFrameShown(f: number, targetFps: number, sourceFps: number, sourceFrames: number, s: TransferSettings): number | null {
  if (!s.enabled) return null;
  const trimOut = Math.min(s.trimOut ?? sourceFrames, sourceFrames);
  if (trimOut <= s.trimIn) return null;
  const ph = sourcePlayhead(f, targetFps, sourceFps, trimOut, s);
  if (Number.isNaN(ph.at)) return null;
  if (ph.pastEnd && s.afterEnd === 'ease') {
    // The first target frame past the source's end (sourcePosition grows linearly with f).
    let endsAt = Math.max(0, Math.floor(((trimOut - 1 - s.trimIn) / sourceFps + s.timeOffsetSec) * targetFps));
    while (sourcePosition(endsAt, targetFps, sourceFps, s.timeOffsetSec, s.trimIn) <= trimOut - 1 + 1e-6) endsAt++;
    if (f - endsAt + 1 >= s.easeFrames + 1) return null;
  }
  return Math.min(trimOut - 1, Math.max(s.trimIn, Math.round(ph.at)));
}

/**
 * The target frames the source (trimmed and offset) does not reach at its end: from the first
 * target frame past its last frame to the target's end; null when the source lasts.
 */
export function uncoveredTail(sourceFrames: number, sourceFps: number, targetFrames: number, targetFps: number, s: Pick<TransferSettings, 'timeOffsetSec' | 'trimIn' | 'trimOut'>): { from: number; frames: number; seconds: number } | null {
  const trimOut = Math.min(s.trimOut ?? sourceFrames, sourceFrames);
  if (trimOut <= s.trimIn) return null;
  for (let f = 0; f < targetFrames; f++) {
    if (sourcePosition(f, targetFps, sourceFps, s.timeOffsetSec, s.trimIn) > trimOut - 1 + 1e-6) {
      return { from: f, frames: targetFrames - f, seconds: (targetFrames - f) / targetFps };
    }
  }
  return null;
}
