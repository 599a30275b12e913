import type { CropBox } from '../conditioning/index.js';

/**
 * Bilinear resample of a square crop of an RGB frame into a size x size image; pixels
 * outside the frame clamp to the nearest edge (the crop may extend past the frame when the
 * head is near a border). Allocation-free with `out`.
 */
export function cropResize(rgb: Uint8Array, width: number, height: number, box: CropBox, size: number, out: Uint8Array = new Uint8Array(size * size * 3)): Uint8Array {
  const scale = box.size / size;
  for (let y = 0; y < size; y++) {
    const sy = box.y + (y + 0.5) * scale - 0.5;
    const y0 = Math.floor(sy);
    const fy = sy - y0;
    const ya = Math.min(height - 1, Math.max(0, y0));
    const yb = Math.min(height - 1, Math.max(0, y0 + 1));
    for (let x = 0; x < size; x++) {
      const sx = box.x + (x + 0.5) * scale - 0.5;
      const x0 = Math.floor(sx);
      const fx = sx - x0;
      const xa = Math.min(width - 1, Math.max(0, x0));
      const xb = Math.min(width - 1, Math.max(0, x0 + 1));
      const o = (y * size + x) * 3;
      for (let c = 0; c < 3; c++) {
        const a = rgb[(ya * width + xa) * 3 + c]!;
        const b = rgb[(ya * width + xb) * 3 + c]!;
        const d = rgb[(yb * width + xa) * 3 + c]!;
        const e = rgb[(yb * width + xb) * 3 + c]!;
        out[o + c] = Math.round((a * (1 - fx) + b * fx) * (1 - fy) + (d * (1 - fx) + e * fx) * fy);
      }
    }
  }
  return out;
}

/**
 * Feathered alpha for pasting a synthesized crop back: 1 inside, falling smoothly to 0 over
 * `feather` (a fraction of the crop side) at the crop border, so no seam shows.
 */
export function featherMask(size: number, feather = 0.12, out: Float32Array = new Float32Array(size * size)): Float32Array {
  const f = Math.max(1e-6, feather * size);
  for (let y = 0; y < size; y++) {
    const dy = Math.min(y, size - 1 - y);
    for (let x = 0; x < size; x++) {
      const dx = Math.min(x, size - 1 - x);
      const t = Math.min(1, Math.min(dx, dy) / f);
      out[y * size + x] = t * t * (3 - 2 * t);
    }
  }
  return out;
}

/**
 * Pastes a size x size RGB crop back into the full frame through `mask` (per crop pixel):
 * each frame pixel inside the box samples the crop bilinearly and blends by the mask.
 * Pixels outside the box are left exactly as they were.
 */
export function pasteCrop(frame: Uint8Array, width: number, height: number, box: CropBox, crop: Uint8Array, size: number, mask: Float32Array): void {
  const scale = size / box.size;
  const x0 = Math.max(0, Math.floor(box.x));
  const y0 = Math.max(0, Math.floor(box.y));
  const x1 = Math.min(width, Math.ceil(box.x + box.size));
  const y1 = Math.min(height, Math.ceil(box.y + box.size));
  for (let y = y0; y < y1; y++) {
    const cy = (y + 0.5 - box.y) * scale - 0.5;
    if (cy < -0.5 || cy > size - 0.5) continue;
    const cy0 = Math.max(0, Math.min(size - 1, Math.floor(cy)));
    const cy1 = Math.min(size - 1, cy0 + 1);
    const fy = Math.max(0, Math.min(1, cy - cy0));
    for (let x = x0; x < x1; x++) {
      const cx = (x + 0.5 - box.x) * scale - 0.5;
      if (cx < -0.5 || cx > size - 0.5) continue;
      const cx0 = Math.max(0, Math.min(size - 1, Math.floor(cx)));
      const cx1 = Math.min(size - 1, cx0 + 1);
      const fx = Math.max(0, Math.min(1, cx - cx0));
      const w00 = (1 - fx) * (1 - fy);
      const w01 = fx * (1 - fy);
      const w10 = (1 - fx) * fy;
      const w11 = fx * fy;
      const i00 = cy0 * size + cx0;
      const i01 = cy0 * size + cx1;
      const i10 = cy1 * size + cx0;
      const i11 = cy1 * size + cx1;
      const a = mask[i00]! * w00 + mask[i01]! * w01 + mask[i10]! * w10 + mask[i11]! * w11;
      if (a <= 0) continue;
      const o = (y * width + x) * 3;
      for (let c = 0; c < 3; c++) {
        const v = crop[i00 * 3 + c]! * w00 + crop[i01 * 3 + c]! * w01 + crop[i10 * 3 + c]! * w10 + crop[i11 * 3 + c]! * w11;
        frame[o + c] = Math.round(frame[o + c]! * (1 - a) + v * a);
      }
    }
  }
}
