/**
 * The network's images are in [-1, 1] (tanh output, inputs scaled alike); files, previews and
 * metrics are 8-bit. One conversion, so preview, render, validation and evaluation agree to the bit.
 */

/** out <- RGB8 of the first out.length values of a network image in [-1, 1] (rounded, clamped). */
export function networkToRgb8(pred: Float32Array, out: Uint8Array = new Uint8Array(pred.length)): Uint8Array {
  if (pred.length < out.length) throw new RangeError(`network image of ${pred.length} values for ${out.length} bytes`);
  for (let i = 0; i < out.length; i++) {
    const v = (pred[i]! + 1) * 127.5;
    out[i] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
  }
  return out;
}
