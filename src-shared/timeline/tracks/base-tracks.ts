import { SH_COEFFS, type FaceParams } from '../../face/params.js';
import { CHANNELS, CHANNEL_IDS, type ChannelId } from '../channels/declarations.js';
import { paramsToChannels } from '../channels/face-params.js';

/**
 * The motion under the edit layer: per-frame values per channel, either the target's own
 * tracking or the source transferred onto the target's timeline.
 */
export interface BaseTracks {
  fps: number;
  frameCount: number;
  channels: Record<ChannelId, Float32Array>;
  /** 1 where the tracker found a face; absent means every frame is valid. */
  valid?: Uint8Array;
  /** Per-frame SH lighting, frame-major, SH_COEFFS per frame; absent means neutral light. */
  sh?: Float32Array;
}

/** A still track: every channel at its default, as for a project with nothing tracked yet. */
export function emptyTracks(fps: number, frameCount: number): BaseTracks {
  const channels = {} as Record<ChannelId, Float32Array>;
  for (const d of CHANNELS) channels[d.id] = new Float32Array(frameCount).fill(d.default);
  return { fps, frameCount, channels };
}

/** Builds tracks from per-frame tracker output; `null` frames (no face) are marked invalid and gap-filled. */
export function tracksFromParams(fps: number, frames: readonly (FaceParams | null)[]): BaseTracks {
  const n = frames.length;
  const t = emptyTracks(fps, n);
  const valid = new Uint8Array(n);
  const sh = new Float32Array(n * SH_COEFFS);
  const row = new Float32Array(CHANNEL_IDS.length);
  for (let f = 0; f < n; f++) {
    const p = frames[f];
    if (!p) continue;
    valid[f] = 1;
    paramsToChannels(p, row);
    for (let c = 0; c < CHANNEL_IDS.length; c++) t.channels[CHANNEL_IDS[c]!][f] = row[c]!;
    sh.set(p.sh.subarray(0, SH_COEFFS), f * SH_COEFFS);
  }
  t.valid = valid;
  t.sh = sh;
  fillInvalid(t);
  return t;
}

/**
 * Fills frames without a face (in place) by linear interpolation between the nearest valid
 * frames, holding the edge values; so curves and renders never see garbage in the gaps.
 */
export function fillInvalid(t: BaseTracks): void {
  const valid = t.valid;
  if (!valid) return;
  const n = t.frameCount;
  let firstValid = -1;
  for (let f = 0; f < n; f++) if (valid[f]) { firstValid = f; break; }
  if (firstValid < 0) return;
  const arrays: Float32Array[] = CHANNEL_IDS.map((id) => t.channels[id]);
  if (t.sh) for (let k = 0; k < SH_COEFFS; k++) arrays.push(strided(t.sh, k, n));
  for (const a of arrays) fillGaps(a, valid, n, firstValid);
  if (t.sh) for (let k = 0; k < SH_COEFFS; k++) unstride(arrays[CHANNEL_IDS.length + k]!, t.sh, k, n);
}

function fillGaps(a: Float32Array, valid: Uint8Array, n: number, firstValid: number): void {
  for (let f = 0; f < firstValid; f++) a[f] = a[firstValid]!;
  let prev = firstValid;
  for (let f = firstValid + 1; f < n; f++) {
    if (!valid[f]) continue;
    if (f - prev > 1) {
      const a0 = a[prev]!;
      const a1 = a[f]!;
      for (let g = prev + 1; g < f; g++) a[g] = a0 + ((a1 - a0) * (g - prev)) / (f - prev);
    }
    prev = f;
  }
  for (let f = prev + 1; f < n; f++) a[f] = a[prev]!;
}

function strided(sh: Float32Array, k: number, n: number): Float32Array {
  const out = new Float32Array(n);
  for (let f = 0; f < n; f++) out[f] = sh[f * SH_COEFFS + k]!;
  return out;
}

function unstride(src: Float32Array, sh: Float32Array, k: number, n: number): void {
  for (let f = 0; f < n; f++) sh[f * SH_COEFFS + k] = src[f]!;
}

/** Copy of the tracks with one channel's array replaced; the rest is shared (tracks are treated as immutable). */
export function withChannel(t: BaseTracks, id: ChannelId, values: Float32Array): BaseTracks {
  return { ...t, channels: { ...t.channels, [id]: values } };
}
