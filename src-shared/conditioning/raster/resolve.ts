import type { VisibilityBuffer } from './visibility.js';

/**
 * Interpolates a per-vertex attribute (`comps` floats per vertex) over the visible surface
 * with the buffer's perspective-correct barycentrics. Writes `comps` floats per pixel into
 * out at out[pixel * outStride + outOffset + c]; background pixels get `background`.
 */
export function resolveAttribute(
  vis: VisibilityBuffer,
  indices: Uint32Array,
  attr: Float32Array,
  comps: number,
  out: Float32Array,
  outStride: number = comps,
  outOffset = 0,
  background = 0,
): void {
  const n = vis.width * vis.height;
  const tri = vis.tri;
  const b1 = vis.b1;
  const b2 = vis.b2;
  for (let p = 0, o = outOffset; p < n; p++, o += outStride) {
    const t = tri[p]!;
    if (t < 0) {
      for (let c = 0; c < comps; c++) out[o + c] = background;
      continue;
    }
    const w1 = b1[p]!;
    const w2 = b2[p]!;
    const w0 = 1 - w1 - w2;
    const a0 = indices[3 * t]! * comps;
    const a1 = indices[3 * t + 1]! * comps;
    const a2 = indices[3 * t + 2]! * comps;
    for (let c = 0; c < comps; c++) out[o + c] = w0 * attr[a0 + c]! + w1 * attr[a1 + c]! + w2 * attr[a2 + c]!;
  }
}
