/**
 * Self-reenactment quality (issue 6): track franck (the target actor of shared/DATA.md),
 * train a profile for a wall-clock budget, then synthesize every held-out frame (the last
 * 10%) from its own tracked parameters and compare with the real frame inside the head crop.
 * Env: BENCH_QUALITY_PROFILE (cpu), BENCH_QUALITY_MINUTES (30), BENCH_QUALITY_FRAMES (1200),
 * BENCH_QUALITY_DIR (keep the project there to resume a longer run).
 */
import { promises as fs } from 'node:fs';
import { inflateSync } from 'node:zlib';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudio } from '../src-main/services/index.js';
import { studioClient } from '../src-main/services/studio-client.js';
import { runFfmpeg } from '../src-main/services/media/run-ffmpeg.js';
import { readProjectFile } from '../src-main/services/project/project-store.js';
import { loadDataset } from '../src-main/services/training/dataset.js';
import { psnr, ssim, meanAbs } from '../src-shared/image/metrics.js';
import { FRANCK } from '../test/helpers/paths.js';
import { getProfile } from '../src-main/net/model/profiles.js';

export async function run(): Promise<Record<string, unknown>> {
  const profile = (process.env['BENCH_QUALITY_PROFILE'] ?? 'cpu') as 'cpu';
  const minutes = Number(process.env['BENCH_QUALITY_MINUTES'] ?? 30);
  const frames = Number(process.env['BENCH_QUALITY_FRAMES'] ?? 1200);
  const keep = process.env['BENCH_QUALITY_DIR'];
  const root = keep ?? (await fs.mkdtemp(join(tmpdir(), 'bench-quality-')));
  await fs.mkdir(root, { recursive: true });
  const dir = join(root, `franck-${frames}`);
  const studio = createStudio({ mode: 'browser' });
  const client = studioClient(studio);
  try {
    const exists = await fs.access(join(dir, 'project.json')).then(() => true, () => false);
    if (!exists) {
      const clip = join(root, `franck-${frames}.mp4`);
      const r = await runFfmpeg(['-y', '-i', FRANCK, '-frames:v', String(frames), '-an', '-c:v', 'libx264', '-crf', '16', '-pix_fmt', 'yuv420p', clip]);
      if (r.code !== 0) throw new Error(r.stderr.slice(-300));
      await client.call('project.create', { dir });
      await (await client.startJob('project.importVideo', { dir, role: 'target', path: clip })).result;
    }
    const t0 = performance.now();
    const tracked = await (await client.startJob('tracking.start', { dir, role: 'target' })).result;
    const trackSec = (performance.now() - t0) / 1000;
    const before = await client.call('training.status', { dir });
    const startStep = before.lastStep ?? 0;
    if (minutes > 0) {
      const job = await client.startJob('training.start', { dir, profile, steps: 1_000_000, validateEverySteps: 500, checkpointMinutes: 5 });
      const timer = setTimeout(() => void job.cancel(), minutes * 60_000);
      // The time budget ends the run with a cancel, which checkpoints first.
      await job.result.catch((e: { code?: string }) => {
        if (e.code !== 'CANCELLED') throw e;
      });
      clearTimeout(timer);
    }
    const after = await client.call('training.status', { dir });
    const trained = { backend: after.backend, step: after.lastStep ?? 0, startStep };
    // Every held-out frame, through the warm inference path the studio uses.
    const { project } = await readProjectFile(dir);
    const ds = await loadDataset(dir, project, { size: getProfile(profile).resolution, holdout: project.settings.holdoutFraction });
    let p = 0;
    let s = 0;
    let l = 0;
    let n = 0;
    for (let i = 0; i < ds.heldOutFrames.length; i += 32) {
      const batch = ds.heldOutFrames.slice(i, i + 32);
      for (const f of batch) {
        const out = await client.call('inference.frame', { dir, frame: f });
        const png = Buffer.from(out.crop.dataUrl.split(',')[1]!, 'base64');
        const rgb = decodePngRgb(png, out.crop.width, out.crop.height);
        const gt = ds.frame(f);
        if (gt.length !== rgb.length) continue;
        p += psnr(rgb, gt);
        s += ssim(rgb, gt, out.crop.width, out.crop.height);
        l += meanAbs(rgb, gt);
        n++;
      }
    }
    const status = await client.call('training.status', { dir });
    const curve = status.history.filter((h) => h.psnr !== undefined).map((h) => ({ step: h.step, psnr: h.psnr, ssim: h.ssim, valL1: h.valL1, lossL1: h.lossL1 }));
    return {
      profile,
      backend: trained.backend,
      frames,
      trackedFrames: tracked.framesTracked,
      framesWithFace: tracked.framesWithFace,
      trackSec,
      trainMinutes: minutes,
      steps: trained.step,
      stepsThisRun: trained.step - trained.startStep,
      note: 'BENCH_QUALITY_MINUTES=0 evaluates the existing checkpoint of BENCH_QUALITY_DIR without training',
      epochs: status.dataset ? (trained.step * 1) / status.dataset.trainFrames : null,
      heldOut: { frames: n, psnr: p / n, ssim: s / n, l1: l / n },
      curve,
    };
  } finally {
    await studio.dispose();
    if (!keep) await fs.rm(root, { recursive: true, force: true });
  }
}

/** Decodes our own PNG encoder's output (8-bit RGB, filter 0 rows) with node:zlib. */
function decodePngRgb(png: Buffer, width: number, height: number): Uint8Array {
  const chunks: Buffer[] = [];
  let o = 8;
  while (o < png.length) {
    const len = png.readUInt32BE(o);
    const type = png.toString('latin1', o + 4, o + 8);
    if (type === 'IDAT') chunks.push(png.subarray(o + 8, o + 8 + len));
    o += 12 + len;
  }
  const raw = inflateSync(Buffer.concat(chunks));
  const out = new Uint8Array(width * height * 3);
  const stride = width * 3;
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)]!;
    if (filter !== 0) throw new Error(`unsupported PNG filter ${filter}`);
    out.set(raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1)), y * stride);
  }
  return out;
}
