/**
 * Memory in footage length: each stage (import, tracking, deriving the curves, training, training.status, the
 * studio's project open, render) on a 2-minute and a 20-minute clip, each stage in its own
 * process (bench/long/stage.ts) so its peak RSS (VmHWM) is its own. The clips are franck.mp4
 * (200 s, 24 fps) looped with ffmpeg `-stream_loop -1 ... -t <seconds>`, re-encoded H.264.
 *
 * Tracking 20 minutes takes most of an hour on 2 cores, so the project folders live in
 * BENCH_LONG_DIR and a finished tracking stage is not redone: its record (with the date and
 * commit it ran at) is kept beside the project and reported as such (`reused: true`).
 * Every other stage runs fresh on each invocation.
 *
 * Env: BENCH_LONG_MINUTES (default "2,20"), BENCH_LONG_DIR (default /tmp/portrait-bench-long),
 * BENCH_LONG_STAGES (default all, comma-separated).
 */
import { spawn, execFileSync } from 'node:child_process';
import { existsSync, promises as fs } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runFfmpeg } from '../src-main/services/media/run-ffmpeg.js';
import { FRANCK } from '../test/helpers/paths.js';
import { load1 } from './stats.js';
import { RENDER_FRAMES, TRAIN_STEPS } from './long/settings.js';

const STAGES = ['import', 'tracking', 'curves', 'training', 'status', 'open', 'render'] as const;
type Stage = (typeof STAGES)[number];
const STAGE_SCRIPT = fileURLToPath(new URL('./long/stage.ts', import.meta.url));
const REPO = fileURLToPath(new URL('..', import.meta.url));

interface StageRecord {
  stage: Stage;
  wallSec: number;
  peakRssMiB: number;
  load1Before: number;
  load1After: number;
  date: string;
  commit: string;
  reused?: boolean;
  [k: string]: unknown;
}

function commit(): string {
  const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: REPO }).toString().trim();
  const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src-main', 'src-shared', 'bench'], { cwd: REPO }).toString().trim() !== '';
  return dirty ? `${head}+uncommitted` : head;
}

async function makeClip(out: string, seconds: number): Promise<void> {
  if (existsSync(out)) return;
  const args = ['-y', '-stream_loop', '-1', '-i', FRANCK, '-t', String(seconds), '-an', '-c:v', 'libx264', '-preset', 'veryfast', '-crf', '18', '-pix_fmt', 'yuv420p', `${out}.part.mp4`];
  const r = await runFfmpeg(args);
  if (r.code !== 0) throw new Error(`ffmpeg failed: ${r.stderr.slice(-300)}`);
  await fs.rename(`${out}.part.mp4`, out);
}

function runStage(stage: Stage, dir: string, video: string): Promise<StageRecord> {
  const load1Before = load1();
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', STAGE_SCRIPT, stage, dir, video], { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('STAGE_RESULT '));
      if (code !== 0 || !line) return reject(new Error(`stage ${stage} on ${dir} failed (${code}): ${err.slice(-1500)}`));
      resolve({ ...JSON.parse(line.slice('STAGE_RESULT '.length)), load1Before, load1After: load1(), date: new Date().toISOString(), commit: commit() });
    });
  });
}

async function clipStages(root: string, minutes: number, stages: Stage[]): Promise<Record<string, StageRecord>> {
  const video = join(root, `franck-loop-${minutes}min.mp4`);
  await makeClip(video, minutes * 60);
  const dir = join(root, `project-${minutes}min`);
  const records = join(root, `records-${minutes}min`);
  await fs.mkdir(records, { recursive: true });
  const out: Record<string, StageRecord> = {};
  const saved = async (s: Stage) => JSON.parse(await fs.readFile(join(records, `${s}.json`), 'utf8').catch(() => 'null')) as StageRecord | null;
  for (const s of stages) {
    if (s === 'import') {
      // Measured on a scratch project every time (a second or so): the tracked project is kept.
      const scratch = join(root, `import-${minutes}min`);
      await fs.rm(scratch, { recursive: true, force: true });
      console.log(`  ${minutes} min: import…`);
      out[s] = await runStage('import', scratch, video);
      await fs.rm(scratch, { recursive: true, force: true });
      continue;
    }
    if (s === 'tracking') {
      const prev = await saved(s);
      if (prev && existsSync(join(dir, 'tracks', 'target.crops.json'))) {
        out[s] = { ...prev, reused: true };
        continue;
      }
      // A fresh project to track (its import is not a figure: the import stage measures that).
      await fs.rm(dir, { recursive: true, force: true });
      await runStage('import', dir, video);
    }
    console.log(`  ${minutes} min: ${s}…`);
    const r = await runStage(s, dir, video);
    await fs.writeFile(join(records, `${s}.json`), JSON.stringify(r));
    out[s] = r;
  }
  return out;
}

export async function run(): Promise<Record<string, unknown>> {
  const minutes = (process.env['BENCH_LONG_MINUTES'] ?? '2,20').split(',').map(Number);
  const root = process.env['BENCH_LONG_DIR'] ?? '/tmp/portrait-bench-long';
  const stages = (process.env['BENCH_LONG_STAGES']?.split(',') ?? [...STAGES]) as Stage[];
  await fs.mkdir(root, { recursive: true });
  const clips: Record<string, Record<string, StageRecord>> = {};
  for (const m of minutes) clips[`${m}min`] = await clipStages(root, m, stages);
  // The longest clip against the shortest (the goal's 20 against 2 minutes), whatever ran between.
  const short = clips[`${Math.min(...minutes)}min`];
  const long = clips[`${Math.max(...minutes)}min`];
  const ratios: Record<string, number> = {};
  if (short && long && minutes.length >= 2) {
    for (const s of stages) if (short[s] && long[s]) ratios[s] = Math.round((long[s]!.peakRssMiB / short[s]!.peakRssMiB) * 100) / 100;
  }
  return {
    conditions: {
      clips: Object.fromEntries(minutes.map((m) => [`${m}min`, `franck.mp4 (360x288, 24 fps, 200 s) looped: ffmpeg -stream_loop -1 -i franck.mp4 -t ${m * 60} -an -c:v libx264 -preset veryfast -crf 18; ${m * 60 * 24} frames`])),
      peakRss: 'VmHWM of the stage process at its end (main thread + worker threads + wasm); ffmpeg child processes not included',
      training: `profile cpu (128 px), ${TRAIN_STEPS} steps from scratch over the whole dataset (training frames = the first 90%), wasm threads 1, validation and checkpoint every 10 steps; includes preparing the crop cache (decode + crop of every frame)`,
      curves: 'the end of a tracking job: the curves derived from the track files into cache/tracking-data-target.bin, streamed by chunks of 4096 frames (redone from scratch for the figure; the tracking stages of these projects may have run before the job did it itself)',
      status: 'one training.status call after the training stage',
      open: 'the host serving a project open: project.open then tracking.data of the target by chunks of 4096 frames (a header call, then the chunks of its revision), as the studio asks, each reply serialised as the WebSocket door sends it; the page parses them in its own process, not counted (until 2026-11-28 an in-process client parsed them here too: 1.24x at 20 against 2 minutes)',
      render: `render.start of the last ${RENDER_FRAMES} frames of the clip (full layout, H.264, no audio)`,
      reusedTracking: 'a tracking stage marked reused: true was measured by an earlier invocation of this bench on the same project (see its date and commit); import runs every time, on a scratch project',
    },
    clips,
    peakRssRatioLongToShort: ratios,
    goal: 'every ratio <= 1.2; open (project.open + tracking.data) of the long project < 1 s',
  };
}
