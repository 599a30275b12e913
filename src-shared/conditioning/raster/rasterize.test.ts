import { describe, expect, it } from 'vitest';
import { projectPoints, type PixelCamera } from '../camera.js';
import { rasterizeTriangles } from './rasterize.js';
import { resolveAttribute } from './resolve.js';
import { VisibilityBuffer } from './visibility.js';

function screenMesh(pts: number[][]): { sx: Float32Array; sy: Float32Array; iw: Float32Array } {
  return {
    sx: Float32Array.from(pts.map((p) => p[0]!)),
    sy: Float32Array.from(pts.map((p) => p[1]!)),
    iw: Float32Array.from(pts.map((p) => 1 / p[2]!)),
  };
}

describe('rasterizeTriangles', () => {
  it('lets the nearer triangle win regardless of draw order', () => {
    // Two overlapping triangles: A at depth 5 (near), B at depth 10 (far).
    const m = screenMesh([
      [2, 2, 5], [30, 4, 5], [10, 30, 5],
      [4, 6, 10], [31, 20, 10], [20, 31, 10],
    ]);
    const nearFirst = Uint32Array.of(0, 1, 2, 3, 4, 5);
    const farFirst = Uint32Array.of(3, 4, 5, 0, 1, 2);
    const a = new VisibilityBuffer(32, 32);
    const b = new VisibilityBuffer(32, 32);
    rasterizeTriangles(a, m.sx, m.sy, m.iw, nearFirst);
    rasterizeTriangles(b, m.sx, m.sy, m.iw, farFirst);
    const near = new Float32Array(32 * 32);
    const near2 = new Float32Array(32 * 32);
    const depth = Float32Array.of(1, 1, 1, 0, 0, 0); // 1 = near triangle's vertices
    resolveAttribute(a, nearFirst, depth, 1, near, 1, 0, -1);
    resolveAttribute(b, farFirst, depth, 1, near2, 1, 0, -1);
    let overlap = 0, nearPix = 0;
    for (let p = 0; p < 32 * 32; p++) {
      expect(near[p]).toBeCloseTo(near2[p]!, 5);
      if (near[p]! > 0.5) nearPix++;
      if (a.invDepth[p]! > 0 && Math.abs(a.invDepth[p]! - 1 / 5) < 1e-6) overlap++;
    }
    expect(nearPix).toBeGreaterThan(200);
    expect(overlap).toBe(nearPix);
    // B is visible where A is not.
    let farPix = 0;
    for (let p = 0; p < 32 * 32; p++) if (near[p] === 0) farPix++;
    expect(farPix).toBeGreaterThan(50);
  });

  it('covers every pixel of a triangulated quad exactly once (top-left rule, no cracks)', () => {
    // A fan of triangles around a centre point, with vertices on pixel-centre lines so edges pass exactly through samples.
    const pts: number[][] = [[8.5, 8.5, 1]];
    const ring: number[][] = [[0.5, 0.5], [8.5, 0.5], [16.5, 0.5], [16.5, 8.5], [16.5, 16.5], [8.5, 16.5], [0.5, 16.5], [0.5, 8.5]];
    for (const r of ring) pts.push([r[0]!, r[1]!, 1]);
    const m = screenMesh(pts);
    const counts = new Int32Array(24 * 24);
    for (let k = 0; k < ring.length; k++) {
      const vis = new VisibilityBuffer(24, 24);
      const tri = k % 2 === 0 ? Uint32Array.of(0, 1 + k, 1 + ((k + 1) % 8)) : Uint32Array.of(1 + ((k + 1) % 8), 1 + k, 0); // mixed windings
      rasterizeTriangles(vis, m.sx, m.sy, m.iw, tri);
      for (let p = 0; p < counts.length; p++) if (vis.tri[p]! >= 0) counts[p]!++;
    }
    // Pixel centres inside [0.5, 16.5)^2 by the top-left rule: columns/rows 0..15.
    for (let j = 0; j < 24; j++) {
      for (let i = 0; i < 24; i++) {
        expect(counts[j * 24 + i]).toBe(i < 16 && j < 16 ? 1 : 0);
      }
    }
  });

  it('interpolates perspective-correctly across a slanted quad', () => {
    // Quad from y=-1 at depth 2 (near) to y=1 at depth 6 (far); the optical axis hits it at y=0, t=0.5.
    const cam: PixelCamera = { fx: 40, fy: 40, cx: 32.5, cy: 32.5, width: 65, height: 65 };
    const pos = Float32Array.of(-1, -1, -2, 1, -1, -2, 1, 1, -6, -1, 1, -6);
    const sx = new Float32Array(4), sy = new Float32Array(4), iw = new Float32Array(4);
    projectPoints(cam, pos, 4, sx, sy, iw);
    const idx = Uint32Array.of(0, 1, 2, 0, 2, 3);
    const vis = new VisibilityBuffer(65, 65);
    rasterizeTriangles(vis, sx, sy, iw, idx);
    const t = Float32Array.of(0, 0, 1, 1);
    const out = new Float32Array(65 * 65);
    resolveAttribute(vis, idx, t, 1, out, 1, 0, -1);
    const centre = 32 * 65 + 32;
    expect(vis.tri[centre]).toBeGreaterThanOrEqual(0);
    expect(out[centre]).toBeCloseTo(0.5, 3); // screen-affine interpolation would give 0.75
    expect(1 / vis.invDepth[centre]!).toBeCloseTo(4, 3);
  });

  it('skips triangles behind the camera', () => {
    const cam: PixelCamera = { fx: 40, fy: 40, cx: 16, cy: 16, width: 32, height: 32 };
    const pos = Float32Array.of(-1, -1, 2, 1, -1, 2, 0, 1, 2);
    const sx = new Float32Array(3), sy = new Float32Array(3), iw = new Float32Array(3);
    projectPoints(cam, pos, 3, sx, sy, iw);
    const vis = new VisibilityBuffer(32, 32);
    rasterizeTriangles(vis, sx, sy, iw, Uint32Array.of(0, 1, 2));
    expect(vis.tri.every((t) => t === -1)).toBe(true);
  });
});
