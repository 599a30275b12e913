/**
 * Where a target frame falls in the source clip, in fractional source frames, given the
 * transfer's time offset and trim. Returns NaN outside the trimmed source range.
 */
export function sourceFrameAt(
  targetFrame: number,
  targetFps: number,
  sourceFps: number,
  timeOffsetSec: number,
  trimIn: number,
  trimOutExclusive: number,
): number {
  const s = sourcePosition(targetFrame, targetFps, sourceFps, timeOffsetSec, trimIn);
  // Half a source frame of tolerance at the ends so float error never drops the last frame.
  if (s < trimIn - 1e-6 || s > trimOutExclusive - 1 + 1e-6) return NaN;
  return Math.min(Math.max(s, trimIn), trimOutExclusive - 1);
}

/**
 * Linear interpolation of a per-frame track at fractional frame s. Returns NaN when a
 * neighbour that carries weight has no face, so the caller can fall back.
 */
export function sampleLinear(a: Float32Array, valid: Uint8Array | undefined, s: number): number {
  const i0 = Math.floor(s);
  const w = s - i0;
  const i1 = w > 0 ? i0 + 1 : i0;
  if (valid && (!valid[i0] || (w > 0 && !valid[i1]))) return NaN;
  const v0 = a[i0]!;
  return w > 0 ? v0 + (a[i1]! - v0) * w : v0;
}

/** The (unclamped, fractional) source frame that plays at target frame f. */
export function sourcePosition(f: number, targetFps: number, sourceFps: number, timeOffsetSec: number, trimIn: number): number {
  return trimIn + (f / targetFps - timeOffsetSec) * sourceFps;
}
