import type { TopologyInput } from '../render-topology.js';

/**
 * A generated stand-in for the face model: an ellipsoid "head" (millimetres, facing +z,
 * y up, +x towards the subject's left) with two eye regions. Its triangulation is mirror
 * symmetric about x = 0, so symmetry facts can be tested exactly.
 */
export interface SyntheticHead extends TopologyInput {
  vertexCount: number;
}

export interface SyntheticHeadOptions {
  rings?: number;
  segments?: number;
  radii?: [number, number, number];
  /** Eye centres at (+-eyeX, eyeY) on the front surface, ellipse half axes eyeW x eyeH. */
  eyeX?: number;
  eyeY?: number;
  eyeW?: number;
  eyeH?: number;
}

export function ellipsoidHead(opts: SyntheticHeadOptions = {}): SyntheticHead {
  const rings = opts.rings ?? 48;
  const segments = opts.segments ?? 64;
  if (segments % 2 !== 0) throw new RangeError('segments must be even for mirror symmetry');
  const [ax, ay, az] = opts.radii ?? [75, 100, 90];
  const eyeX = opts.eyeX ?? 32, eyeY = opts.eyeY ?? 22, eyeW = opts.eyeW ?? 18, eyeH = opts.eyeH ?? 10;

  const vertexCount = 2 + (rings - 1) * segments;
  const canonical = new Float32Array(3 * vertexCount);
  canonical.set([0, ay, 0], 0);
  canonical.set([0, -ay, 0], 3 * (vertexCount - 1));
  const ring = (i: number, j: number): number => 1 + (i - 1) * segments + (j % segments);
  for (let i = 1; i < rings; i++) {
    const phi = (Math.PI * i) / rings;
    for (let j = 0; j < segments; j++) {
      const theta = (2 * Math.PI * j) / segments;
      const v = ring(i, j);
      // sin(theta) of mirrored segments is computed from the same angle so x is exactly -x.
      const st = j <= segments / 2 ? Math.sin(theta) : -Math.sin((2 * Math.PI * (segments - j)) / segments);
      const ct = j <= segments / 2 ? Math.cos(theta) : Math.cos((2 * Math.PI * (segments - j)) / segments);
      canonical[3 * v] = ax * Math.sin(phi) * st;
      canonical[3 * v + 1] = ay * Math.cos(phi);
      canonical[3 * v + 2] = az * Math.sin(phi) * ct;
    }
  }

  const tris: number[] = [];
  for (let j = 0; j < segments; j++) {
    tris.push(0, ring(1, j), ring(1, j + 1));
    tris.push(vertexCount - 1, ring(rings - 1, j + 1), ring(rings - 1, j));
  }
  for (let i = 1; i < rings - 1; i++) {
    for (let j = 0; j < segments; j++) {
      const a = ring(i, j), b = ring(i + 1, j), c = ring(i + 1, j + 1), d = ring(i, j + 1);
      // Mirror-image diagonals on the two halves keep the triangulation symmetric.
      if (j < segments / 2) tris.push(a, b, c, a, c, d);
      else tris.push(a, b, d, b, c, d);
    }
  }
  const indices = Uint32Array.from(tris);

  const left: number[] = [];
  const right: number[] = [];
  for (let t = 0; t < indices.length / 3; t++) {
    let x = 0, y = 0, z = 0;
    for (let k = 0; k < 3; k++) {
      const v = indices[3 * t + k]!;
      x += canonical[3 * v]! / 3;
      y += canonical[3 * v + 1]! / 3;
      z += canonical[3 * v + 2]! / 3;
    }
    if (z <= 0) continue;
    const dy = (y - eyeY) / eyeH;
    if (((x - eyeX) / eyeW) ** 2 + dy * dy < 1) left.push(t);
    else if (((x + eyeX) / eyeW) ** 2 + dy * dy < 1) right.push(t);
  }
  return { vertexCount, indices, canonical, eyeTriangles: [left, right] };
}

/** Uniform skin-like albedo for a synthetic head. */
export function uniformAlbedo(count: number, rgb: [number, number, number] = [0.8, 0.62, 0.52]): Float32Array {
  const a = new Float32Array(3 * count);
  for (let i = 0; i < count; i++) a.set(rgb, 3 * i);
  return a;
}
