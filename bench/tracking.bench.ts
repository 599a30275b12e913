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

const FRAMES_720 = Number(process.env['BENCH_TRACK_FRAMES'] ?? 240);
const FRAMES_QUALITY = Number(process.env['BENCH_QUALITY_FRAMES'] ?? 480);

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
    const big = await track('720p', v720);
    const franck = join(root, 'franck.mp4');
    await clip(FRANCK, franck, FRAMES_QUALITY);
    const fq = await track('franck', franck);
    const cap = join(root, 'cap12.mp4');
    await clip(CAP12, cap, FRAMES_QUALITY);
    const cq = await track('cap12', cap);
    return {
      fps720p: big.r.framesTracked / big.wallSec,
      frames720p: big.r.framesTracked,
      wallSec720p: big.wallSec,
      note720p: 'whole tracking job incl. detector load, identity estimation and durable writes; 900x720 upscale of franck.mp4',
      split720p: big.r.timing ?? null,
      franck: { tracked: fq.r.framesTracked, withFace: fq.r.framesWithFace, fps: fq.r.framesTracked / fq.wallSec, ...fq.q },
      cap12: { tracked: cq.r.framesTracked, withFace: cq.r.framesWithFace, fps: cq.r.framesTracked / cq.wallSec, ...cq.q },
    };
  } finally {
    await studio.dispose();
    await fs.rm(root, { recursive: true, force: true });
  }
}
