import { HEAD_CHANNELS, type HeadChannel } from '../channels/declarations.js';
import type { BaseTracks } from '../tracks/base-tracks.js';

export type RestPose = Record<HeadChannel, number>;

/**
 * An actor's rest pose: per head channel, the median over frames with a face. The median
 * ignores the head turns and nods that make up a minority of a clip, so a talking actor's
 * rest pose is where they mostly look, not the mean dragged by a few big turns.
 */
export function restPose(t: BaseTracks): RestPose {
  const out = {} as RestPose;
  const buf = new Float64Array(t.frameCount);
  for (const id of HEAD_CHANNELS) {
    const a = t.channels[id];
    let n = 0;
    for (let f = 0; f < t.frameCount; f++) if (!t.valid || t.valid[f]) buf[n++] = a[f]!;
    out[id] = median(buf.subarray(0, n));
  }
  return out;
}

/** Median of the values (sorts the given buffer in place); 0 when empty. */
export function median(a: Float64Array): number {
  const n = a.length;
  if (n === 0) return 0;
  a.sort();
  return n % 2 ? a[(n - 1) / 2]! : 0.5 * (a[n / 2 - 1]! + a[n / 2]!);
}
