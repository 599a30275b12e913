/**
 * Final-cut speed and temporal flicker (issue 10). Uses the project trained by the quality
 * bench when BENCH_QUALITY_DIR points at it (a real cpu-profile model), else trains the tiny
 * profile on franck for a few hundred steps. Flicker = mean absolute frame-to-frame
 * difference (0..1) inside the head crop, for the render and for the real target video.
 */
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudio } from '../src-main/services/index.js';
import { studioClient } from '../src-main/services/studio-client.js';
import { runFfmpeg } from '../src-main/services/media/run-ffmpeg.js';
import { decodeFrames } from '../src-main/services/video/decode.js';
import { readProjectFile } from '../src-main/services/project/project-store.js';
import { cropResize } from '../src-shared/image/crop.js';
import { FRANCK } from '../test/helpers/paths.js';
import { fetchTrackingData } from '../src-shared/tracks/fetch-tracking.js';
import type { CropBox } from '../src-shared/conditioning/index.js';
import { load1, spread } from './stats.js';

const SIZE = 128;
const RUNS = 3;

async function flicker(video: string, crops: CropBox[], cropStart: number, decodeStart: number, count: number, fps: number): Promise<number> {
  let prev: Uint8Array | null = null;
  let sum = 0;
  let n = 0;
  let f = cropStart;
  const cur = new Uint8Array(SIZE * SIZE * 3);
  for await (const fr of decodeFrames(video, { fps, start: decodeStart, count })) {
    cropResize(fr.data, fr.width, fr.height, crops[f]!, SIZE, cur);
    if (prev) {
      let d = 0;
      for (let i = 0; i < cur.length; i++) d += Math.abs(cur[i]! - prev[i]!);
      sum += d / cur.length / 255;
      n++;
    }
    prev = new Uint8Array(cur);
    f++;
  }
  return n ? sum / n : Number.NaN;
}

export async function run(): Promise<Record<string, unknown>> {
  const keep = process.env['BENCH_QUALITY_DIR'];
  const studio = createStudio({ mode: 'browser' });
  const client = studioClient(studio);
  let tmp: string | null = null;
  try {
    let dir: string;
    const trained = keep ? (await fs.readdir(keep).catch(() => [] as string[])).find((n) => /^franck-\d+$/.test(n)) : undefined;
    if (keep && trained) {
      dir = join(keep, trained);
      await client.call('project.open', { dir });
    } else {
      tmp = await fs.mkdtemp(join(tmpdir(), 'bench-render-'));
      const clip = join(tmp, 'franck.mp4');
      await runFfmpeg(['-y', '-i', FRANCK, '-frames:v', '240', '-an', '-c:v', 'libx264', '-crf', '16', '-pix_fmt', 'yuv420p', clip]);
      dir = join(tmp, 'p');
      await client.call('project.create', { dir });
      await (await client.startJob('project.importVideo', { dir, role: 'target', path: clip })).result;
      await (await client.startJob('tracking.start', { dir, role: 'target' })).result;
      await (await client.startJob('training.start', { dir, profile: 'tiny', steps: 400, backend: 'wasm' })).result;
    }
    const { project } = await readProjectFile(dir);
    const target = project.media.target!;
    const n = target.probe.frameCount;
    const count = Math.min(120, n);
    const start = n - count; // the held-out tail
    const status = await client.call('training.status', { dir });
    const data = await fetchTrackingData(client, dir, 'target');
    const fpsRuns: number[] = [];
    const loads: number[] = [];
    let r: Awaited<ReturnType<typeof renderOnce>> | null = null;
    const renderOnce = async () => {
      const out = join(dir, 'renders', `bench-${Date.now()}.mp4`);
      const t0 = performance.now();
      const res = await (await client.startJob('render.start', { dir, out, range: { start, end: n - 1 }, crf: 12 })).result;
      return { res, out, sec: (performance.now() - t0) / 1000 };
    };
    for (let i = 0; i < RUNS; i++) {
      loads.push(load1());
      if (r) await fs.rm(r.out, { force: true });
      r = await renderOnce();
      fpsRuns.push(r.res.frames / r.sec);
    }
    const flickerOutput = await flicker(r!.out, data.crops!, start, 0, count, target.probe.fps);
    const flickerReal = await flicker(target.path, data.crops!, start, start, count, target.probe.fps);
    await fs.rm(r!.out, { force: true });
    return {
      conditions: { runs: RUNS, load1AtRunStarts: loads, input: `${target.probe.width}x${target.probe.height} target, last ${count} frames`, encode: 'H.264 crf 12' },
      profile: status.profile,
      backend: status.backend,
      checkpointStep: r!.res.checkpointStep,
      frames: r!.res.frames,
      size: `${r!.res.width}x${r!.res.height}`,
      renderFps: spread(fpsRuns, 1),
      note: 'whole job: model load, conditioning windows, generator one frame per pass, paste-back, H.264 encode',
      // Flicker alone rewards blur (a static output scores 0); read it with the sharpness of
      // the same network in bench/results/quality.json (portrait evaluate prints both).
      flickerOutput,
      flickerReal,
      flickerRatio: flickerOutput / flickerReal,
    };
  } finally {
    await studio.dispose();
    if (tmp) await fs.rm(tmp, { recursive: true, force: true });
  }
}
