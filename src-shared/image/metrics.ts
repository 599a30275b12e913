/** Mean absolute difference of two RGB8 images of equal size, in 0..1 (the L1 the training loss uses). */
export function meanAbs(a: Uint8Array, b: Uint8Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += Math.abs(a[i]! - b[i]!);
  return s / a.length / 255;
}
