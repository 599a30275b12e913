/**
 * One clip's training phase of the quality protocol, runnable on its own so the two clips
 * can train in the background while other work goes on:
 *   npx tsx bench/quality/train-clip.ts <franck|cap12> <root> [minutes=60] [threads=1] [resume]
 * An ablation variant runs with PORTRAIT_PROFILE_OVERRIDES set (see src-main/net/CONTEXT.md).
 * Writes <root>/<clip>-train.json (the TrainRun: step log with load average, snapshots).
 * With `resume`, a run whose <clip>-train.json exists continues from its last checkpoint for
 * `minutes` more, across sessions: the log, the snapshots and the minutes count on from the
 * earlier segments, and `segments` records each one (its steps, minutes, date and commit).
 */
import { execFileSync } from 'node:child_process';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { createStudio } from '../../src-main/services/index.js';
import { studioClient } from '../../src-main/services/studio-client.js';
import { CLIPS, prepareClip, trainFor, type ClipName, type TrainRun } from './protocol.js';

interface Segment {
  startStep: number;
  endStep: number;
  minutes: number;
  date: string;
  commit: string | null;
  profileOverrides: string | null;
}
type TrainRecord = TrainRun & { segments?: Segment[]; [k: string]: unknown };

const [clipName, root, minutesArg, threadsArg, mode] = process.argv.slice(2);
const clip = CLIPS[clipName as ClipName];
if (!clip || !root) {
  console.error('usage: train-clip.ts <franck|cap12> <root> [minutes] [threads] [resume]');
  process.exit(2);
}
const minutes = Number(minutesArg ?? 60);
const threads = Number(threadsArg ?? 1);
const overrides = process.env['PORTRAIT_PROFILE_OVERRIDES'] ?? null;
const trainFile = join(root, `${clip.name}-train.json`);
const earlier: TrainRecord | null = mode === 'resume' ? (JSON.parse(await fs.readFile(trainFile, 'utf8')) as TrainRecord) : null;
if (earlier && ((earlier['profileOverrides'] as string | null | undefined) ?? null) !== overrides) {
  console.error(`${trainFile} was trained with profile overrides ${String(earlier['profileOverrides'] ?? 'none')}, not ${overrides ?? 'none'}: a resumed run keeps its variant`);
  process.exit(2);
}
const commit = (() => {
  try {
    return execFileSync('git', ['rev-parse', '--short', 'HEAD']).toString().trim();
  } catch {
    return null;
  }
})();
const studio = createStudio({ mode: 'browser' });
const client = studioClient(studio);
try {
  const prep = await prepareClip(client, root, clip);
  console.log(`tracked ${clip.name}: ${prep.framesWithFace}/${prep.frames} frames with a face in ${prep.trackSec.toFixed(1)} s`);
  const offsetMinutes = earlier?.minutes ?? 0;
  const run = await trainFor(client, prep.dir, { profile: 'cpu', minutes, snapshotMinutes: 10, threads, offsetMinutes });
  const segment: Segment = { startStep: run.startStep, endStep: run.endStep, minutes: run.minutes, date: new Date().toISOString(), commit, profileOverrides: overrides };
  const record = earlier
    ? {
        ...earlier,
        endStep: run.endStep,
        minutes: offsetMinutes + run.minutes,
        log: [...earlier.log, ...run.log.map((l) => ({ ...l, minutes: offsetMinutes + l.minutes }))],
        snapshots: [...earlier.snapshots, ...run.snapshots],
        // The first segment's record predates `segments`: rebuild it from the run's own fields.
        segments: [...(earlier.segments ?? [{ startStep: earlier.startStep, endStep: earlier.endStep, minutes: earlier.minutes, date: 'before resume', commit: null, profileOverrides: overrides }]), segment],
      }
    : { clip: clip.name, threads, profileOverrides: overrides, ...prep, ...run, segments: [segment] };
  await fs.writeFile(trainFile, JSON.stringify(record, null, 2));
  console.log(`trained ${clip.name}: steps ${run.startStep} -> ${run.endStep} in ${run.minutes.toFixed(1)} min (run total ${record.minutes.toFixed(1)} min)`);
} finally {
  await studio.dispose();
}
