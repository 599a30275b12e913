/**
 * Per-pixel result of rasterization: which triangle is visible and where on it, as
 * perspective-correct barycentrics. Shading is deferred to a resolve pass, so every image
 * (color, correspondence, gaze) is shaded once per pixel from one geometry pass, whatever
 * the overdraw.
 */
export class VisibilityBuffer {
  readonly width: number;
  readonly height: number;
  /** 1/w of the visible surface (w = view depth); 0 where nothing was drawn. Larger is nearer. */
  readonly invDepth: Float32Array;
  /** Visible triangle index, -1 for background. */
  readonly tri: Int32Array;
  /** Perspective-correct barycentric weights of the triangle's 2nd and 3rd vertex. */
  readonly b1: Float32Array;
  readonly b2: Float32Array;

  constructor(width: number, height: number) {
    if (!(Number.isInteger(width) && Number.isInteger(height) && width > 0 && height > 0)) {
      throw new RangeError(`bad image size ${width}x${height}`);
    }
    this.width = width;
    this.height = height;
    const n = width * height;
    this.invDepth = new Float32Array(n);
    this.tri = new Int32Array(n);
    this.b1 = new Float32Array(n);
    this.b2 = new Float32Array(n);
    this.clear();
  }

  clear(): void {
    this.invDepth.fill(0);
    this.tri.fill(-1);
  }
}
