/**
 * Scales an RGB24 image to fit inside dw x dh keeping its aspect (bilinear), centred on black:
 * a picture of another size shown in a fixed slot (the source actor beside the target).
 */
export function fitLetterbox(src: Uint8Array, sw: number, sh: number, dw: number, dh: number, out: Uint8Array = new Uint8Array(dw * dh * 3)): Uint8Array {
  out.fill(0);
  const scale = Math.min(dw / sw, dh / sh);
  const w = Math.max(1, Math.min(dw, Math.round(sw * scale)));
  const h = Math.max(1, Math.min(dh, Math.round(sh * scale)));
  const x0 = (dw - w) >> 1;
  const y0 = (dh - h) >> 1;
  for (let y = 0; y < h; y++) {
    const fy = Math.min(sh - 1, Math.max(0, ((y + 0.5) * sh) / h - 0.5));
    const y1 = Math.floor(fy);
    const y2 = Math.min(sh - 1, y1 + 1);
    const wy = fy - y1;
    for (let x = 0; x < w; x++) {
      const fx = Math.min(sw - 1, Math.max(0, ((x + 0.5) * sw) / w - 0.5));
      const x1 = Math.floor(fx);
      const x2 = Math.min(sw - 1, x1 + 1);
      const wx = fx - x1;
      const o = ((y0 + y) * dw + x0 + x) * 3;
      const a = (y1 * sw + x1) * 3;
      const b = (y1 * sw + x2) * 3;
      const c = (y2 * sw + x1) * 3;
      const d = (y2 * sw + x2) * 3;
      for (let k = 0; k < 3; k++) {
        const top = src[a + k]! + (src[b + k]! - src[a + k]!) * wx;
        const bottom = src[c + k]! + (src[d + k]! - src[c + k]!) * wx;
        out[o + k] = Math.round(top + (bottom - top) * wy);
      }
    }
  }
  return out;
}
