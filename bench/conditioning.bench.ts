import { performance } from 'node:perf_hooks';
import { createActorModel, createFaceGeometry, evalFace, neutralParams, type FaceParams } from '../src-shared/face/index.js';
import {
  CHANNELS_PER_FRAME,
  ConditioningRenderer,
  FaceConditioning,
  FrameCache,
  WindowAssembler,
  WINDOW_FRAMES,
  cropCamera,
  faceRenderTopology,
  frameGeometryFromFace,
  type FrameGeometry,
} from '../src-shared/conditioning/index.js';
import { load1, spread } from './stats.js';

/** A moving head: pose, gaze, blink and light vary per frame so no two renders are alike. */
function params(f: number): FaceParams {
  const p = neutralParams();
  p.yaw = 20 * Math.sin(f * 0.07);
  p.pitch = 8 * Math.sin(f * 0.05);
  p.roll = 5 * Math.sin(f * 0.03);
  p.tx = 10 * Math.sin(f * 0.02);
  p.tz = -480;
  p.gazeLeft = { yaw: 15 * Math.sin(f * 0.1), pitch: 5 };
  p.gazeRight = { yaw: 15 * Math.sin(f * 0.1), pitch: 5 };
  p.blinkLeft = p.blinkRight = (f % 30) / 29;
  p.sh[9] = p.sh[10] = p.sh[11] = 0.3 * Math.sin(f * 0.04);
  return p;
}

const intr = { focalPx: 430, width: 360, height: 288 };

/** ms per frame of ConditioningRenderer.render (all three images) on pre-evaluated geometry. */
function timeRender(size: number, frames: number): number {
  const actor = createActorModel();
  const fc = new FaceConditioning(actor, intr, size);
  const geoms: FrameGeometry[] = [];
  const crops = fc.trackCrops(Array.from({ length: frames }, (_, f) => params(f)));
  for (let f = 0; f < frames; f++) {
    const g = createFaceGeometry();
    const p = params(f);
    evalFace(actor, p, g);
    geoms.push(frameGeometryFromFace(actor, g, p));
  }
  const r = new ConditioningRenderer(faceRenderTopology(), size, size);
  const cams = crops.map((c) => cropCamera(intr, c, size, size));
  const out = new Float32Array(r.frameSize());
  for (let f = 0; f < Math.min(frames, 50); f++) r.render(geoms[f]!, cams[f]!, out); // warm-up (JIT)
  const t0 = performance.now();
  const reps = 3;
  for (let k = 0; k < reps; k++) for (let f = 0; f < frames; f++) r.render(geoms[f]!, cams[f]!, out);
  return (performance.now() - t0) / (reps * frames);
}

/**
 * Window assembly at 256: a miss is the playback / training-order case (the 10 previous
 * frames are cached, the new one is evaluated and rendered), a hit is scrubbing over frames
 * already cached (copying 11 cached frames into the 99-channel buffer).
 */
function timeWindows(size: number): { hit: number; miss: number } {
  const actor = createActorModel();
  const fc = new FaceConditioning(actor, intr, size);
  const track = Array.from({ length: 120 }, (_, f) => params(f));
  const crops = fc.trackCrops(track);
  const renderFrame = (f: number, out: Float32Array): void => void fc.render(track[f]!, crops[f]!, out);
  const cache = new FrameCache(2 * WINDOW_FRAMES, size * size * CHANNELS_PER_FRAME);
  const asm = new WindowAssembler(size, size, cache, renderFrame);
  const win = new Float32Array(asm.windowSize());
  for (let f = 0; f < 40; f++) asm.assemble(f, 'v', win); // warm-up (JIT, cache filled)
  const missesBefore = cache.misses;
  let t0 = performance.now();
  for (let f = 40; f < 120; f++) asm.assemble(f, 'v', win);
  const miss = (performance.now() - t0) / 80;
  if (cache.misses - missesBefore !== 80) throw new Error('expected exactly one render per window');
  t0 = performance.now();
  for (let k = 0; k < 40; k++) asm.assemble(119 - (k % 10), 'v', win);
  const hit = (performance.now() - t0) / 40;
  return { hit, miss };
}

const RUNS = 5;

export async function run(): Promise<Record<string, unknown>> {
  const loads: number[] = [];
  const w128: { hit: number; miss: number }[] = [];
  const w256: { hit: number; miss: number }[] = [];
  const r256: number[] = [];
  const r512: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    loads.push(load1());
    w128.push(timeWindows(128));
    w256.push(timeWindows(256));
    r256.push(timeRender(256, 200));
    r512.push(timeRender(512, 100));
  }
  return {
    conditions: { runs: RUNS, threads: 'one core', load1AtRunStarts: loads, mesh: `face model (MediaPipe topology, ${faceRenderTopology().vertexCount} vertices, ${faceRenderTopology().triCount} triangles)` },
    // What a network input costs per frame in playback / training order: the 99-channel
    // window (face evaluation + 3 images for the new frame, 10 cached frames copied).
    endToEnd: {
      windowMs128: spread(w128.map((w) => w.miss)),
      windowMs256: spread(w256.map((w) => w.miss)),
      note: 'per frame in playback/training order: 10 frames from the cache + 1 new frame evaluated and rendered, assembled into the 99-channel input; 128 px is the cpu profile, 256 px the paper',
    },
    partial: {
      windowMs256CacheHit: spread(w256.map((w) => w.hit)),
      threeImagesMs256: spread(r256),
      threeImagesMs512: spread(r512),
      note: 'parts only: the 3 conditioning images of one frame on pre-evaluated geometry (no window), and a window whose 11 frames are all cached (scrubbing)',
    },
  };
}


if (import.meta.url === `file://${process.argv[1]}`) {
  run().then((r) => console.log(JSON.stringify(r, null, 2)));
}
