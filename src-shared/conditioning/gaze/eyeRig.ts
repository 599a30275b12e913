import { EYEBALL_RADIUS_RATIO } from './eyeShape.js';

/**
 * Where the eyes are on a topology, in eye-local coordinates of the canonical mesh.
 *
 * The gaze image is drawn *on the surface*: a pixel of an eye triangle knows its canonical
 * position (interpolated like any attribute), hence its eye-local (x, y); lids and pupil are
 * then analytic shapes in that plane. This makes occlusion and head pose free (the z-buffer
 * and the projection handle them). Where the mesh's own lids close with blink (meshLids), the
 * analytic lid only closes the residual sliver near blink 1 so the eye is not closed twice.
 */
export interface EyeRig {
  /** Per triangle: 0 = subject's left eye, 1 = subject's right eye, -1 = not an eye. */
  triEye: Int8Array;
  /** Per vertex (2 floats): eye-local x (towards the subject's left) and y (up), canonical units. */
  local: Float32Array;
  /** Half width and half height of each eye opening, canonical units: [left, right]. */
  halfWidth: [number, number];
  halfHeight: [number, number];
  /** Pupil centre at zero gaze, eye-local, per eye. */
  restPupil: [[number, number], [number, number]];
  /** Radius of the eyeball the pupil turns on, canonical units. */
  eyeballRadius: [number, number];
  /**
   * The mesh's own lids close with blink (upper lid onto the lower lid, linearly), so the
   * eye triangles already shrink to 1 - blink of the opening; the analytic lid then only
   * closes the residual sliver near blink 1 (see analyticBlink). False: the analytic lid does
   * all the closing (meshes whose lids do not move, e.g. the synthetic head).
   */
  meshLids: boolean;
  /**
   * Per eye, the iris centre vertex (-1 if none). When set, the pupil is placed where the
   * posed mesh's iris centre vertex is seen (see irisPupilLocal), not from the gaze angles.
   */
  irisVertex: [number, number];
  /** Per eye, its triangles (indices into the topology's triangles). */
  eyeTris: [Uint32Array, Uint32Array];
}

export interface EyeRigInput {
  indices: Uint32Array;
  canonical: Float32Array;
  vertexCount: number;
  /** Triangle indices covering each eye opening: [subject's left, subject's right]. */
  eyeTriangles: [ArrayLike<number>, ArrayLike<number>];
  /** Unit direction towards the subject's left in canonical space (default +x). */
  leftDir?: [number, number, number];
  /** Unit up direction in canonical space (default +y). */
  upDir?: [number, number, number];
  /** Vertex at each eye's iris centre (rest pupil position); default: centre of the opening. */
  irisVertices?: [number, number];
  /** Eyeball radius in canonical units; default EYEBALL_RADIUS_RATIO x the eye's half width. */
  eyeballRadius?: number;
  /** See EyeRig.meshLids (default false). */
  meshLids?: boolean;
}

export function buildEyeRig(input: EyeRigInput): EyeRig {
  const { indices, canonical, vertexCount } = input;
  const L = input.leftDir ?? [1, 0, 0];
  const U = input.upDir ?? [0, 1, 0];
  const triEye = new Int8Array(indices.length / 3).fill(-1);
  const local = new Float32Array(2 * vertexCount);
  const halfWidth: [number, number] = [0, 0];
  const halfHeight: [number, number] = [0, 0];
  const restPupil: [[number, number], [number, number]] = [[0, 0], [0, 0]];
  const eyeballRadius: [number, number] = [0, 0];
  for (let e = 0; e < 2; e++) {
    const tris = input.eyeTriangles[e]!;
    const verts = new Set<number>();
    for (let k = 0; k < tris.length; k++) {
      const t = tris[k]!;
      if (triEye[t] !== -1) throw new RangeError(`triangle ${t} is in both eyes`);
      triEye[t] = e;
      for (let c = 0; c < 3; c++) verts.add(indices[3 * t + c]!);
    }
    if (verts.size === 0) throw new RangeError(`eye ${e} has no triangles`);
    let minX = Infinity, maxX = -Infinity, minY = Infinity, maxY = -Infinity;
    for (const v of verts) {
      const x = dot(canonical, v, L), y = dot(canonical, v, U);
      minX = Math.min(minX, x); maxX = Math.max(maxX, x);
      minY = Math.min(minY, y); maxY = Math.max(maxY, y);
    }
    const cx = (minX + maxX) / 2, cy = (minY + maxY) / 2;
    halfWidth[e] = (maxX - minX) / 2;
    halfHeight[e] = (maxY - minY) / 2;
    for (const v of verts) {
      local[2 * v] = dot(canonical, v, L) - cx;
      local[2 * v + 1] = dot(canonical, v, U) - cy;
    }
    const iris = input.irisVertices?.[e];
    if (iris !== undefined) restPupil[e] = [dot(canonical, iris, L) - cx, dot(canonical, iris, U) - cy];
    eyeballRadius[e] = input.eyeballRadius ?? EYEBALL_RADIUS_RATIO * halfWidth[e]!;
  }
  const irisVertex: [number, number] = [input.irisVertices?.[0] ?? -1, input.irisVertices?.[1] ?? -1];
  const eyeTris: [Uint32Array, Uint32Array] = [Uint32Array.from(input.eyeTriangles[0]), Uint32Array.from(input.eyeTriangles[1])];
  return { triEye, local, halfWidth, halfHeight, restPupil, eyeballRadius, meshLids: input.meshLids ?? false, irisVertex, eyeTris };
}

function dot(p: Float32Array, v: number, d: [number, number, number]): number {
  return p[3 * v]! * d[0] + p[3 * v + 1]! * d[1] + p[3 * v + 2]! * d[2];
}

/**
 * Triangles covering an eye opening given its closed lid contour (vertex loop): the mesh's
 * own triangles whose three vertices all lie on the contour (MediaPipe's triangulation
 * covers the eyes so), else `null` and the caller can fan-triangulate the loop.
 */
export function trianglesInsideContour(indices: Uint32Array, contour: ArrayLike<number>): number[] | null {
  const s = new Set<number>();
  for (let k = 0; k < contour.length; k++) s.add(contour[k]!);
  const out: number[] = [];
  for (let t = 0; t < indices.length / 3; t++) {
    if (s.has(indices[3 * t]!) && s.has(indices[3 * t + 1]!) && s.has(indices[3 * t + 2]!)) out.push(t);
  }
  return out.length > 0 ? out : null;
}

/** Fan triangulation of a closed, roughly convex vertex loop (an eye opening is almond-shaped). */
export function fanTriangulate(contour: ArrayLike<number>): Uint32Array {
  const n = contour.length;
  const out = new Uint32Array(3 * Math.max(0, n - 2));
  for (let k = 1; k < n - 1; k++) {
    out[3 * (k - 1)] = contour[0]!;
    out[3 * (k - 1) + 1] = contour[k]!;
    out[3 * (k - 1) + 2] = contour[k + 1]!;
  }
  return out;
}
