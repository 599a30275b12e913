/**
 * The quality protocol (issue 13): on franck (first 1200 frames) and cap12 (whole clip), last
 * 10% held out, train the cpu profile for a wall-clock budget (default 60 minutes per clip),
 * keeping a snapshot every 10 minutes; then evaluate every snapshot with the same job as
 * `portrait evaluate` (pixels only: the curve) and the last one fully (identity, re-tracked
 * control, edits), each beside the no-network baselines computed in the same run.
 *
 * Env: BENCH_QUALITY_CLIPS (franck,cap12), BENCH_QUALITY_MINUTES (60), BENCH_QUALITY_THREADS (1),
 * BENCH_QUALITY_DIR (keep the projects there; a clip whose `<clip>-train.json` exists there is
 * not trained again, so the training phase can run in the background through
 * bench/quality/train-clip.ts and be evaluated here later), BENCH_QUALITY_REUSE_FROM and
 * BENCH_QUALITY_REUSE_SINCE (a copy of a clip's project and an ISO date: curve points take the
 * copy's kept pixels-only reports made since then, see quality/evaluate-snapshots.ts).
 */
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createStudio } from '../src-main/services/index.js';
import { studioClient } from '../src-main/services/studio-client.js';
import { PROFILE_OVERRIDES_ENV } from '../src-main/net/model/profiles.js';
import { CLIPS, prepareClip, trainFor, type ClipName, type TrainRun } from './quality/protocol.js';
import { evaluateTrainRun, projectTo } from './quality/evaluate-run.js';

export async function run(): Promise<Record<string, unknown>> {
  const clips = (process.env['BENCH_QUALITY_CLIPS'] ?? 'franck,cap12').split(',') as ClipName[];
  const minutes = Number(process.env['BENCH_QUALITY_MINUTES'] ?? 60);
  const threads = Number(process.env['BENCH_QUALITY_THREADS'] ?? 1);
  const keep = process.env['BENCH_QUALITY_DIR'];
  const root = keep ?? (await fs.mkdtemp(join(tmpdir(), 'bench-quality-')));
  const studio = createStudio({ mode: 'browser' });
  const client = studioClient(studio);
  const out: Record<string, unknown> = {
    protocol: {
      profile: 'cpu',
      // The experiment knob, when a variant ran the protocol instead of the profile as it ships.
      profileOverrides: process.env[PROFILE_OVERRIDES_ENV] ?? null,
      budgetMinutesPerClip: minutes,
      threads,
      holdout: 'last 10% of frames',
      snapshotsEveryMinutes: 10,
      evaluation: 'portrait evaluate: all held-out frames for pixels; identity/control on up to 60 evenly spaced held-out frames; 9 edits on 6 frames',
    },
  };
  try {
    for (const name of clips) {
      const clip = CLIPS[name];
      if (!clip) throw new Error(`unknown clip ${name}`);
      const trainFile = join(root, `${name}-train.json`);
      let train: (TrainRun & Record<string, unknown>) | null = await fs.readFile(trainFile, 'utf8').then((s) => JSON.parse(s) as TrainRun & Record<string, unknown>, () => null);
      let dir: string;
      if (train) dir = train['dir'] as string;
      else {
        const prep = await prepareClip(client, root, clip);
        dir = prep.dir;
        const run = await trainFor(client, dir, { profile: 'cpu', minutes, snapshotMinutes: 10, threads });
        train = { clip: name, threads, ...prep, ...run };
        await fs.writeFile(trainFile, JSON.stringify(train, null, 2));
      }
      const since = process.env['BENCH_QUALITY_REUSE_SINCE'];
      const from = process.env['BENCH_QUALITY_REUSE_FROM'];
      const { final, curve } = await evaluateTrainRun(client, dir, train, since && from ? { since, from } : undefined);
      // The strip a reviewer reads by eye, beside the figures (conditioning | network | textured face model | nearest-params | real).
      if (final?.strip) await fs.writeFile(join(process.cwd(), 'bench', 'results', `quality-${name}-strip.png`), Buffer.from(final.strip.split(',')[1]!, 'base64'));
      const load = train.log.map((l) => l.load1);
      out[name] = {
        clip: { source: clip.source, frames: train['frames'], framesWithFace: train['framesWithFace'] },
        training: {
          backend: train.backend,
          threads: train['threads'],
          minutes: train.minutes,
          steps: train.endStep - train.startStep,
          startStep: train.startStep,
          endStep: train.endStep,
          stepsPerSec: (train.endStep - train.startStep) / (train.minutes * 60),
          loadAverage1m: load.length ? { min: Math.min(...load), median: load.sort((a, b) => a - b)[load.length >> 1], max: Math.max(...load) } : null,
        },
        final,
        curve,
        projection8h: projectTo(480, curve),
      };
    }
    // A run of some clips keeps the other clips' figures from the previous report (each clip
    // entry carries its own evaluation dates in final.createdAt).
    const previous = await fs.readFile(join(process.cwd(), 'bench', 'results', 'quality.json'), 'utf8').then((t) => JSON.parse(t) as { date?: string; figures?: Record<string, unknown> }, () => null);
    for (const name of Object.keys(CLIPS)) {
      if (!(name in out) && previous?.figures?.[name]) out[name] = { ...(previous.figures[name] as object), carriedOverFrom: previous.date ?? 'previous report' };
    }
    return out;
  } finally {
    await studio.dispose();
    if (!keep) await fs.rm(root, { recursive: true, force: true });
  }
}
