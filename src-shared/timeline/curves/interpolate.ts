/**
 * Keyframe curves of the edit layer. A key's `interp` governs the segment that starts at
 * that key. Bezier segments are cubic Hermite in frame time (equivalently, a bezier whose
 * handles sit at 1/3 of the segment in time), which keeps evaluation a closed form with no
 * per-sample root finding. Ease presets are bezier shapes fixed relative to the segment, so
 * they stay correct when keys are moved.
 */

export const INTERPOLATIONS = ['linear', 'step', 'bezier', 'easeIn', 'easeOut', 'easeInOut'] as const;
export type Interpolation = (typeof INTERPOLATIONS)[number];

export interface Keyframe {
  frame: number;
  value: number;
  interp: Interpolation;
  /** Bezier tangent arriving at this key, value units per frame. */
  inSlope: number;
  /** Bezier tangent leaving this key, value units per frame. */
  outSlope: number;
}

export function key(frame: number, value: number, interp: Interpolation = 'linear', inSlope = 0, outSlope = 0): Keyframe {
  return { frame, value, interp, inSlope, outSlope };
}

/** Value inside the segment k0 -> k1 at frame f (k0.frame <= f <= k1.frame). */
export function segmentValue(k0: Keyframe, k1: Keyframe, f: number): number {
  const dt = k1.frame - k0.frame;
  const t = dt > 0 ? (f - k0.frame) / dt : 1;
  const v0 = k0.value;
  const dv = k1.value - v0;
  switch (k0.interp) {
    case 'step':
      return t >= 1 ? k1.value : v0;
    case 'linear':
      return v0 + dv * t;
    case 'easeIn':
      // Hermite with slopes 0 and 2*dv/dt: starts flat, arrives at twice the linear speed.
      return v0 + dv * t * t;
    case 'easeOut':
      return v0 + dv * t * (2 - t);
    case 'easeInOut':
      return v0 + dv * t * t * (3 - 2 * t);
    case 'bezier': {
      const t2 = t * t;
      const t3 = t2 * t;
      return (
        (2 * t3 - 3 * t2 + 1) * v0 +
        (t3 - 2 * t2 + t) * k0.outSlope * dt +
        (-2 * t3 + 3 * t2) * k1.value +
        (t3 - t2) * k1.inSlope * dt
      );
    }
  }
}

/** Index of the last key with frame <= f, or -1. Keys are sorted by frame. */
export function findSegment(keys: readonly Keyframe[], f: number): number {
  let lo = 0;
  let hi = keys.length - 1;
  let ans = -1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (keys[mid]!.frame <= f) {
      ans = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return ans;
}

/** Curve value at f: 0 with no keys, constant before the first and after the last key. */
export function curveValue(keys: readonly Keyframe[], f: number): number {
  const n = keys.length;
  if (n === 0) return 0;
  const i = findSegment(keys, f);
  if (i < 0) return keys[0]!.value;
  if (i >= n - 1) return keys[n - 1]!.value;
  return segmentValue(keys[i]!, keys[i + 1]!, f);
}

/**
 * Adds the curve, sampled at integer frames start..start+count-1, into out[0..count).
 * One forward pass with a segment cursor: O(count + keys), no allocation.
 */
export function addCurveRange(keys: readonly Keyframe[], start: number, count: number, out: Float32Array): void {
  const n = keys.length;
  if (n === 0) return;
  const first = keys[0]!;
  const last = keys[n - 1]!;
  let i = Math.max(0, findSegment(keys, start));
  for (let j = 0; j < count; j++) {
    const f = start + j;
    let v: number;
    if (f <= first.frame) v = first.value;
    else if (f >= last.frame) v = last.value;
    else {
      while (keys[i + 1]!.frame <= f) i++;
      v = segmentValue(keys[i]!, keys[i + 1]!, f);
    }
    out[j] = out[j]! + v;
  }
}

/** Slope that makes a bezier key smooth through its neighbours (Catmull-Rom), for "auto" tangents. */
export function autoSlope(keys: readonly Keyframe[], i: number): number {
  const prev = keys[i - 1];
  const next = keys[i + 1];
  const k = keys[i]!;
  if (prev && next) return (next.value - prev.value) / (next.frame - prev.frame);
  if (next) return (next.value - k.value) / (next.frame - k.frame);
  if (prev) return (k.value - prev.value) / (k.frame - prev.frame);
  return 0;
}

/** A stretch of the clip where an offset is held flat beyond the keys (the curve's ends). */
export interface HeldEnd {
  start: number;
  end: number;
  value: number;
}

/**
 * Where a channel's offset holds beyond its first and last keys, within frames [0, frameCount):
 * a non-zero end key shifts everything before (or after) it, which is how one key moves the
 * whole clip. Empty when both end keys are 0 or sit on the clip's ends.
 */
export function heldEnds(keys: readonly Keyframe[], frameCount: number): HeldEnd[] {
  const n = keys.length;
  if (n === 0 || frameCount <= 0) return [];
  const out: HeldEnd[] = [];
  const first = keys[0]!;
  const last = keys[n - 1]!;
  if (first.value !== 0 && first.frame > 0) out.push({ start: 0, end: Math.min(first.frame, frameCount) - 1, value: first.value });
  if (last.value !== 0 && last.frame < frameCount - 1) out.push({ start: Math.max(0, last.frame + 1), end: frameCount - 1, value: last.value });
  return out.filter((h) => h.end >= h.start);
}

/**
 * Zero keys that confine a channel's offset to [from, to] (the frames outside keep the tracked
 * curve), only where the curve does not already end at 0 on that side; frames clamped to the clip.
 */
export function confineKeys(keys: readonly Keyframe[], from: number, to: number, frameCount: number): Keyframe[] {
  const out: Keyframe[] = [];
  if (keys.length === 0 || frameCount <= 0) return out;
  const lo = Math.max(0, Math.min(from, frameCount - 1));
  const hi = Math.max(0, Math.min(to, frameCount - 1));
  const first = keys[0]!;
  const last = keys[keys.length - 1]!;
  if (first.value !== 0 && lo < first.frame) out.push(key(lo, 0, 'bezier'));
  if (last.value !== 0 && hi > last.frame) out.push(key(hi, 0, 'bezier'));
  return out;
}
