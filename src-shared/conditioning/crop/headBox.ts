import type { CropBox } from '../camera.js';

/**
 * Framing of the net's input around the tracked face mesh, as in the paper's portraits:
 * the face mesh (brows to chin) takes about half the crop, leaving room for hair above,
 * neck below and some background, with the centre raised for the hair.
 */
export interface FramingOptions {
  /** Crop side as a multiple of the face mesh's larger projected extent. */
  scale?: number;
  /** Upward shift of the centre as a fraction of the crop side. */
  raise?: number;
}

/** Per-frame crop from projected full-frame vertex positions (pixels); null without points. */
export function headBox(sx: Float32Array, sy: Float32Array, count: number, opts: FramingOptions = {}): CropBox | null {
  const scale = opts.scale ?? 1.8;
  const raise = opts.raise ?? 0.08;
  let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
  for (let i = 0; i < count; i++) {
    const x = sx[i]!, y = sy[i]!;
    if (!Number.isFinite(x) || !Number.isFinite(y)) continue;
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  if (!(maxX > minX) || !(maxY > minY)) return null;
  const size = scale * Math.max(maxX - minX, maxY - minY);
  const cx = (minX + maxX) / 2;
  const cy = (minY + maxY) / 2 - raise * size;
  return { x: cx - size / 2, y: cy - size / 2, size };
}
