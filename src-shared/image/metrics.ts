/** Image quality figures on RGB8 images of equal size (optionally inside a mask > 0.5). */

export function psnr(a: Uint8Array, b: Uint8Array): number {
  let se = 0;
  for (let i = 0; i < a.length; i++) {
    const d = a[i]! - b[i]!;
    se += d * d;
  }
  const mse = se / a.length;
  return mse === 0 ? 99 : 10 * Math.log10((255 * 255) / mse);
}

export function meanAbs(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length / 255;
}

/**
 * SSIM on luma with 8x8 windows, stride 4 (Wang et al. 2004 constants); a standard,
 * cheap variant adequate for tracking training progress.
 */
export function ssim(a: Uint8Array, b: Uint8Array, width: number, height: number): number {
  const C1 = (0.01 * 255) ** 2;
  const C2 = (0.03 * 255) ** 2;
  const luma = (img: Uint8Array, i: number) => 0.299 * img[3 * i]! + 0.587 * img[3 * i + 1]! + 0.114 * img[3 * i + 2]!;
  let total = 0;
  let n = 0;
  const W = 8;
  for (let y = 0; y + W <= height; y += 4) {
    for (let x = 0; x + W <= width; x += 4) {
      let ma = 0;
      let mb = 0;
      for (let j = 0; j < W; j++) for (let i = 0; i < W; i++) {
        const k = (y + j) * width + x + i;
        ma += luma(a, k);
        mb += luma(b, k);
      }
      ma /= W * W;
      mb /= W * W;
      let va = 0;
      let vb = 0;
      let cov = 0;
      for (let j = 0; j < W; j++) for (let i = 0; i < W; i++) {
        const k = (y + j) * width + x + i;
        const da = luma(a, k) - ma;
        const db = luma(b, k) - mb;
        va += da * da;
        vb += db * db;
        cov += da * db;
      }
      va /= W * W - 1;
      vb /= W * W - 1;
      cov /= W * W - 1;
      total += ((2 * ma * mb + C1) * (2 * cov + C2)) / ((ma * ma + mb * mb + C1) * (va + vb + C2));
      n++;
    }
  }
  return n ? total / n : 1;
}
