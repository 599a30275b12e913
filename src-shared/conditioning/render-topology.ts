import { buildEyeRig, type EyeRig, type EyeRigInput } from './gaze/eyeRig.js';

/**
 * Everything about a mesh that is fixed across frames, prepared once: triangles, the
 * correspondence colours (canonical position -> rgb), the eye rig and the winding sign.
 */
export interface RenderTopology {
  vertexCount: number;
  indices: Uint32Array;
  triCount: number;
  /** Canonical (neutral, model-space) positions, 3 per vertex. */
  canonical: Float32Array;
  /** Correspondence colour per vertex in [-1, 1]: canonical xyz normalised by its bounding box. */
  corrColor: Float32Array;
  eyes: EyeRig;
  /** +1 if cross(b-a, c-a) points out of the face (towards +z on the canonical face), else -1. */
  normalSign: number;
}

/** The eye rig's input minus what the topology derives (the vertex count). */
export type TopologyInput = Omit<EyeRigInput, 'vertexCount'>;

export function buildTopology(input: TopologyInput): RenderTopology {
  const { indices, canonical } = input;
  if (indices.length % 3 !== 0) throw new RangeError('indices length is not a multiple of 3');
  const vertexCount = canonical.length / 3;
  for (let k = 0; k < indices.length; k++) {
    if (indices[k]! >= vertexCount) throw new RangeError(`index ${indices[k]} out of range (${vertexCount} vertices)`);
  }
  return {
    vertexCount,
    indices,
    triCount: indices.length / 3,
    canonical,
    corrColor: correspondenceColors(canonical, vertexCount),
    eyes: buildEyeRig({ indices, canonical, vertexCount, eyeTriangles: input.eyeTriangles, leftDir: input.leftDir, upDir: input.upDir, irisVertices: input.irisVertices, eyeballRadius: input.eyeballRadius, meshLids: input.meshLids }),
    normalSign: windingSign(indices, canonical),
  };
}

/**
 * The fixed colour code: each axis of the canonical bounding box maps linearly to one
 * channel (x -> r, y -> g, z -> b), centred on the box so a symmetric face gets r(-x) = -r(x).
 */
export function correspondenceColors(canonical: Float32Array, count: number): Float32Array {
  const lo = [Infinity, Infinity, Infinity];
  const hi = [-Infinity, -Infinity, -Infinity];
  for (let i = 0; i < count; i++) {
    for (let c = 0; c < 3; c++) {
      const v = canonical[3 * i + c]!;
      if (v < lo[c]!) lo[c] = v;
      if (v > hi[c]!) hi[c] = v;
    }
  }
  const out = new Float32Array(3 * count);
  for (let c = 0; c < 3; c++) {
    const mid = (lo[c]! + hi[c]!) / 2;
    const half = (hi[c]! - lo[c]!) / 2 || 1;
    for (let i = 0; i < count; i++) out[3 * i + c] = (canonical[3 * i + c]! - mid) / half;
  }
  return out;
}

/**
 * Sign of sum over triangles of cross(b-a, c-a) . (centroid - mesh centre): positive for
 * outward winding on a closed head (it is 6x the volume) and on a face shell, whose centre
 * lies behind the surface.
 */
function windingSign(indices: Uint32Array, p: Float32Array): number {
  const n = p.length / 3;
  let mx = 0, my = 0, mz = 0;
  for (let i = 0; i < n; i++) { mx += p[3 * i]!; my += p[3 * i + 1]!; mz += p[3 * i + 2]!; }
  mx /= n; my /= n; mz /= n;
  let sum = 0;
  for (let t = 0; t < indices.length / 3; t++) {
    const a = 3 * indices[3 * t]!, b = 3 * indices[3 * t + 1]!, c = 3 * indices[3 * t + 2]!;
    const ux = p[b]! - p[a]!, uy = p[b + 1]! - p[a + 1]!, uz = p[b + 2]! - p[a + 2]!;
    const vx = p[c]! - p[a]!, vy = p[c + 1]! - p[a + 1]!, vz = p[c + 2]! - p[a + 2]!;
    const nx = uy * vz - uz * vy, ny = uz * vx - ux * vz, nz = ux * vy - uy * vx;
    const gx = (p[a]! + p[b]! + p[c]!) / 3 - mx;
    const gy = (p[a + 1]! + p[b + 1]! + p[c + 1]!) / 3 - my;
    const gz = (p[a + 2]! + p[b + 2]! + p[c + 2]!) / 3 - mz;
    sum += nx * gx + ny * gy + nz * gz;
  }
  return sum >= 0 ? 1 : -1;
}
