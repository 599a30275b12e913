/**
 * The reference input (profile option reference = nearest-params): a real training crop of
 * the actor, chosen by parameters, appended to the conditioning window as 3 channels.
 */

/**
 * Training frames this close to the frame being rendered are never its reference: the
 * neighbours of a training frame are nearly the frame itself, and a network shown them would
 * learn to copy its input and fail on held-out or re-animated frames, whose nearest training
 * frame is never that close. Two seconds at 25 fps.
 */
export const REFERENCE_EXCLUSION_FRAMES = 50;

/** Training frames indexed by their parameter vectors (evaluation/retrieval.ts paramVector). */
export class ReferenceIndex {
  private readonly frames: Int32Array;

  constructor(
    frames: readonly number[],
    private readonly vectors: readonly Float32Array[],
    private readonly exclusion = REFERENCE_EXCLUSION_FRAMES,
  ) {
    if (frames.length !== vectors.length) throw new RangeError(`${frames.length} frames but ${vectors.length} vectors`);
    if (!frames.length) throw new RangeError('a reference index needs at least one training frame');
    this.frames = Int32Array.from(frames);
  }

  /**
   * The k training frames whose vectors are nearest (squared Euclidean) to `query`, nearest
   * first, among those more than `exclusion` frames from `frame`; fewer when the index holds
   * fewer, topped up from the excluded ones when too few lie outside (a clip shorter than the
   * exclusion window).
   */
  nearestK(query: Float32Array, frame: number, k: number, exclusion = this.exclusion): number[] {
    const found = this.search(query, frame, exclusion, k);
    if (found.length >= Math.min(k, this.frames.length)) return found;
    const extra = this.search(query, frame, -1, k).filter((g) => !found.includes(g));
    return [...found, ...extra].slice(0, k);
  }

  private search(query: Float32Array, frame: number, exclusion: number, k: number): number[] {
    // The k best so far, kept sorted by distance (k is small: insertion is cheaper than a heap).
    const bestG: number[] = [];
    const bestD: number[] = [];
    const n = query.length;
    for (let c = 0; c < this.frames.length; c++) {
      const g = this.frames[c]!;
      if (Math.abs(g - frame) <= exclusion) continue;
      const bound = bestD.length === k ? bestD[k - 1]! : Infinity;
      const v = this.vectors[c]!;
      let d = 0;
      for (let i = 0; i < n && d < bound; i++) {
        const e = v[i]! - query[i]!;
        d += e * e;
      }
      if (d >= bound) continue;
      let at = bestD.length;
      while (at > 0 && bestD[at - 1]! > d) at--;
      bestD.splice(at, 0, d);
      bestG.splice(at, 0, g);
      if (bestD.length > k) {
        bestD.pop();
        bestG.pop();
      }
    }
    return bestG;
  }
}

/** out <- per-byte mean of RGB8 images (rounded), for a reference averaged over several frames. */
export function meanOfImages(images: readonly Uint8Array[], out: Uint8Array): Uint8Array {
  const n = images.length;
  if (!n) throw new RangeError('no images to average');
  for (let i = 0; i < out.length; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += images[j]![i]!;
    out[i] = Math.round(s / n);
  }
  return out;
}

/**
 * out (H x W x (channels + 3), HWC) <- each pixel's `channels` window values, then the
 * reference's RGB8 mapped to [-1, 1] as the network's targets are.
 */
export function appendReference(window: Float32Array, channels: number, reference: Uint8Array, out: Float32Array): Float32Array {
  const np = reference.length / 3;
  if (!Number.isInteger(np) || window.length < np * channels) throw new RangeError('window and reference sizes do not match');
  if (out.length < np * (channels + 3)) throw new RangeError('output buffer too small');
  for (let p = 0, s = 0, o = 0, r = 0; p < np; p++) {
    for (let c = 0; c < channels; c++) out[o++] = window[s++]!;
    out[o++] = reference[r++]! / 127.5 - 1;
    out[o++] = reference[r++]! / 127.5 - 1;
    out[o++] = reference[r++]! / 127.5 - 1;
  }
  return out;
}
