/**
 * Luma of RGB8 images, shared by the metrics that compare structure rather than colour
 * (SSIM, sharpness, flicker), so they all agree on what "brightness" is.
 */

/** ITU-R BT.601 weights: the ones Wang et al.'s SSIM reference (and MATLAB rgb2gray) use. */
export const LUMA_R = 0.299;
export const LUMA_G = 0.587;
export const LUMA_B = 0.114;

/**
 * Luma plane (0..255, unrounded) of an RGB8 image. Unrounded so that a metric does not see
 * 8-bit quantisation steps that are not in the image.
 */
export function lumaPlane(rgb: Uint8Array, pixels: number, out: Float32Array = new Float32Array(pixels)): Float32Array {
  if (rgb.length < 3 * pixels) throw new RangeError(`image has ${rgb.length} bytes, ${pixels} RGB pixels need ${3 * pixels}`);
  if (out.length < pixels) throw new RangeError('luma buffer too small');
  for (let p = 0, i = 0; p < pixels; p++, i += 3) {
    out[p] = LUMA_R * rgb[i]! + LUMA_G * rgb[i + 1]! + LUMA_B * rgb[i + 2]!;
  }
  return out;
}

/** Throws unless img is a width x height RGB8 image (a silent size mismatch would read garbage). */
export function checkRgb(img: Uint8Array, width: number, height: number, name = 'image'): void {
  if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) throw new RangeError(`bad size ${width}x${height}`);
  if (img.length !== width * height * 3) throw new RangeError(`${name} has ${img.length} bytes, a ${width}x${height} RGB8 image has ${width * height * 3}`);
}
