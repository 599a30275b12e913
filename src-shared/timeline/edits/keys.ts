import { autoSlope, type Keyframe } from '../curves/interpolate.js';

/** Pure key-list operations; every function returns a new sorted array with unique frames. */

/** Union of two key lists; on equal frames the incoming key replaces the existing one. */
export function mergeKeys(existing: readonly Keyframe[], incoming: readonly Keyframe[]): Keyframe[] {
  const byFrame = new Map<number, Keyframe>();
  for (const k of existing) byFrame.set(k.frame, k);
  // `x + 0` turns -0 into 0: JSON cannot keep -0, so a saved project would not reopen bit-exactly.
  for (const k of incoming) byFrame.set(k.frame + 0, { ...k, frame: k.frame + 0, value: k.value + 0, inSlope: k.inSlope + 0, outSlope: k.outSlope + 0 });
  return [...byFrame.values()].sort((a, b) => a.frame - b.frame);
}

/** Splits keys into those whose frame is listed (selected) and the rest. */
export function partitionKeys(keys: readonly Keyframe[], frames: readonly number[] | undefined): [Keyframe[], Keyframe[]] {
  if (frames === undefined) return [keys.slice(), []];
  const set = new Set(frames);
  const sel: Keyframe[] = [];
  const rest: Keyframe[] = [];
  for (const k of keys) (set.has(k.frame) ? sel : rest).push(k);
  return [sel, rest];
}

export function removeKeysInRange(keys: readonly Keyframe[], start: number, end: number): Keyframe[] {
  return keys.filter((k) => k.frame < start || k.frame > end);
}

/** Auto (Catmull-Rom) tangents for the keys at the given indices. */
export function withAutoSlopes(keys: Keyframe[], indices: readonly number[]): Keyframe[] {
  const out = keys.slice();
  for (const i of indices) {
    const s = autoSlope(keys, i);
    out[i] = { ...keys[i]!, inSlope: s, outSlope: s };
  }
  return out;
}
