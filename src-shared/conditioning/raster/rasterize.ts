import type { VisibilityBuffer } from './visibility.js';

/** Sub-pixel precision: vertices snap to 1/256 px so edge tests are exact integer arithmetic. */
const SUB = 256;
const HALF = SUB / 2;
/**
 * Beyond this many pixels from the origin a vertex is treated as clipped: it keeps the
 * edge-function products below 2^53 (exact in doubles) and only happens for geometry
 * grazing the camera plane, which a tracked face never does.
 */
const MAX_COORD = 1 << 14;

/**
 * Z-buffered rasterization of triangles into a visibility buffer.
 *
 * sx, sy: pixel coordinates per vertex; invW: 1/view-depth per vertex (0 = clipped, the
 * triangle is skipped). indices: 3 per triangle. Triangles are two-sided.
 * Coverage uses the top-left rule on snapped integer coordinates, so triangles sharing an
 * edge cover each pixel centre exactly once (no cracks, no double hits). Depth and
 * barycentrics interpolate 1/w and attr/w linearly in screen space (perspective-correct).
 * Triangle ids written are firstTri + local index, so several meshes can share a buffer.
 */
export function rasterizeTriangles(
  vis: VisibilityBuffer,
  sx: Float32Array,
  sy: Float32Array,
  invW: Float32Array,
  indices: Uint32Array,
  triCount: number = indices.length / 3,
  firstTri = 0,
): void {
  const W = vis.width;
  const H = vis.height;
  const depth = vis.invDepth;
  const triBuf = vis.tri;
  const bufB1 = vis.b1;
  const bufB2 = vis.b2;

  for (let t = 0; t < triCount; t++) {
    const i0 = indices[3 * t]!;
    const i1 = indices[3 * t + 1]!;
    let ia = i1;
    let ib = indices[3 * t + 2]!;
    const w0 = invW[i0]!;
    if (w0 <= 0 || invW[ia]! <= 0 || invW[ib]! <= 0) continue;

    const x0 = Math.round(sx[i0]! * SUB);
    const y0 = Math.round(sy[i0]! * SUB);
    let xa = Math.round(sx[ia]! * SUB);
    let ya = Math.round(sy[ia]! * SUB);
    let xb = Math.round(sx[ib]! * SUB);
    let yb = Math.round(sy[ib]! * SUB);
    const lim = MAX_COORD * SUB;
    if (Math.abs(x0) > lim || Math.abs(y0) > lim || Math.abs(xa) > lim || Math.abs(ya) > lim || Math.abs(xb) > lim || Math.abs(yb) > lim) continue;

    let area = (xa - x0) * (yb - y0) - (ya - y0) * (xb - x0);
    if (area === 0) continue;
    // Two-sided: reorder to positive area, and route the weights back to the caller's order.
    let out1 = bufB1;
    let out2 = bufB2;
    if (area < 0) {
      let tmp = xa; xa = xb; xb = tmp;
      tmp = ya; ya = yb; yb = tmp;
      tmp = ia; ia = ib; ib = tmp;
      out1 = bufB2;
      out2 = bufB1;
      area = -area;
    }
    const wa = invW[ia]!;
    const wb = invW[ib]!;

    // Pixel range whose centres may be inside (clamped to the image).
    const minX = Math.max(0, Math.ceil((Math.min(x0, xa, xb) - HALF) / SUB));
    const maxX = Math.min(W - 1, Math.floor((Math.max(x0, xa, xb) - HALF) / SUB));
    const minY = Math.max(0, Math.ceil((Math.min(y0, ya, yb) - HALF) / SUB));
    const maxY = Math.min(H - 1, Math.floor((Math.max(y0, ya, yb) - HALF) / SUB));
    if (minX > maxX || minY > maxY) continue;

    // Edge e_k is opposite vertex k: E(p) = dx * (py - ay) - dy * (px - ax).
    // With positive area in y-down coordinates, a "top" edge has dy == 0 and dx > 0 and a
    // "left" edge has dy < 0; pixels exactly on those edges belong to this triangle.
    const dx0 = xb - xa, dy0 = yb - ya; // edge a->b, weight of v0
    const dx1 = x0 - xb, dy1 = y0 - yb; // edge b->0, weight of va
    const dx2 = xa - x0, dy2 = ya - y0; // edge 0->a, weight of vb
    const bias0 = dy0 < 0 || (dy0 === 0 && dx0 > 0) ? 0 : -1;
    const bias1 = dy1 < 0 || (dy1 === 0 && dx1 > 0) ? 0 : -1;
    const bias2 = dy2 < 0 || (dy2 === 0 && dx2 > 0) ? 0 : -1;

    const px0 = minX * SUB + HALF;
    const stepX0 = -dy0 * SUB, stepX1 = -dy1 * SUB, stepX2 = -dy2 * SUB;
    // Screen-linear weights scaled by 1/w: interpolating these is interpolating attr/w.
    const q0 = w0 / area, qa = wa / area, qb = wb / area;
    const id = firstTri + t;

    for (let j = minY; j <= maxY; j++) {
      const py = j * SUB + HALF;
      let e0 = dx0 * (py - ya) - dy0 * (px0 - xa);
      let e1 = dx1 * (py - yb) - dy1 * (px0 - xb);
      let e2 = dx2 * (py - y0) - dy2 * (px0 - x0);
      let idx = j * W + minX;
      for (let i = minX; i <= maxX; i++, idx++) {
        if (e0 + bias0 >= 0 && e1 + bias1 >= 0 && e2 + bias2 >= 0) {
          const p0 = e0 * q0;
          const pa = e1 * qa;
          const pb = e2 * qb;
          const iw = p0 + pa + pb;
          if (iw > depth[idx]!) {
            depth[idx] = iw;
            triBuf[idx] = id;
            out1[idx] = pa / iw;
            out2[idx] = pb / iw;
          }
        }
        e0 += stepX0;
        e1 += stepX1;
        e2 += stepX2;
      }
    }
  }
}
