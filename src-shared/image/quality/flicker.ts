/**
 * Temporal flicker: frame-to-frame luma change of a rendered sequence relative to the real
 * video's. Per-frame metrics cannot see a renderer that is right on average but jitters (or
 * one that freezes); this ratio does: 1 = moves as much as the real video, 0 = static,
 * > 1 = flickers.
 */
import { LUMA_B, LUMA_G, LUMA_R } from './luma.js';
import { checkMask, MASK_THRESHOLD, type Mask } from './mask.js';
import { energyRatio } from './sharpness.js';

/**
 * Mean over consecutive frame pairs of the mean absolute luma difference (0..255). With masks
 * (one per frame) a pixel counts for a pair when both frames' masks are > 0.5, so only the
 * face as seen in both frames is compared. Pairs whose masks do not overlap are skipped; NaN
 * when fewer than 2 frames or no pair has a pixel to compare.
 */
export function temporalEnergy(frames: readonly Uint8Array[], masks?: readonly Mask[]): number {
  if (masks && masks.length !== frames.length) throw new RangeError(`${masks.length} masks for ${frames.length} frames`);
  if (frames.length < 2) return NaN;
  const bytes = frames[0]!.length;
  if (bytes % 3 !== 0) throw new RangeError(`RGB8 frame length ${bytes} is not a multiple of 3`);
  const pixels = bytes / 3;
  for (let f = 0; f < frames.length; f++) {
    if (frames[f]!.length !== bytes) throw new RangeError(`frame ${f} has ${frames[f]!.length} bytes, frame 0 has ${bytes}`);
    if (masks) checkMask(masks[f]!, pixels);
  }
  let total = 0, pairs = 0;
  for (let f = 1; f < frames.length; f++) {
    const a = frames[f - 1]!, b = frames[f]!;
    const ma = masks?.[f - 1], mb = masks?.[f];
    let sum = 0, count = 0;
    for (let p = 0, i = 0; p < pixels; p++, i += 3) {
      if (ma && !(ma[p]! > MASK_THRESHOLD && mb![p]! > MASK_THRESHOLD)) continue;
      // Luma is linear, so the luma of the difference is the difference of the lumas.
      const d = LUMA_R * (b[i]! - a[i]!) + LUMA_G * (b[i + 1]! - a[i + 1]!) + LUMA_B * (b[i + 2]! - a[i + 2]!);
      sum += d < 0 ? -d : d;
      count++;
    }
    if (count) {
      total += sum / count;
      pairs++;
    }
  }
  return pairs ? total / pairs : NaN;
}

/**
 * temporalEnergy(outputs) / temporalEnergy(reals), both under the same masks (e.g. each
 * frame's conditioning silhouette). A static real video gives 1 for a static output, else
 * +Infinity; NaN when either energy is.
 */
export function flickerRatio(outputs: readonly Uint8Array[], reals: readonly Uint8Array[], masks?: readonly Mask[]): number {
  if (outputs.length !== reals.length) throw new RangeError(`${outputs.length} output frames, ${reals.length} real frames`);
  return energyRatio(temporalEnergy(outputs, masks), temporalEnergy(reals, masks));
}
