import { SH_COEFFS } from '../../face/params.js';
import { CHANNEL_IDS, type ChannelId } from '../channels/declarations.js';
import type { BaseTracks } from './base-tracks.js';

/**
 * The same motion on another timeline (fps, length), e.g. the target's tracks at the source
 * frame rate before transfer when the cut is rendered at the source rate. Channels are
 * interpolated linearly in time and held past the end; a frame is valid only if every
 * source frame it interpolates from had a face; SH comes from the nearest frame.
 */
export function resampleTracks(t: BaseTracks, fps: number, frameCount: number): BaseTracks {
  const channels = {} as Record<ChannelId, Float32Array>;
  for (const id of CHANNEL_IDS) channels[id] = new Float32Array(frameCount);
  const valid = t.valid ? new Uint8Array(frameCount) : undefined;
  const sh = t.sh ? new Float32Array(frameCount * SH_COEFFS) : undefined;
  const last = t.frameCount - 1;
  if (last < 0) return { fps, frameCount, channels };
  for (let f = 0; f < frameCount; f++) {
    const s = Math.min((f / fps) * t.fps, last);
    const i0 = Math.floor(s);
    const i1 = Math.min(i0 + 1, last);
    const w = s - i0;
    for (const id of CHANNEL_IDS) {
      const a = t.channels[id];
      channels[id][f] = a[i0]! + (a[i1]! - a[i0]!) * w;
    }
    const near = w < 0.5 ? i0 : i1;
    if (valid) valid[f] = t.valid![i0]! && (w === 0 || t.valid![i1]!) ? 1 : 0;
    if (sh) sh.set(t.sh!.subarray(near * SH_COEFFS, (near + 1) * SH_COEFFS), f * SH_COEFFS);
  }
  return { fps, frameCount, channels, ...(valid ? { valid } : {}), ...(sh ? { sh } : {}) };
}
