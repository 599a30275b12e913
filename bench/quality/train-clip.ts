/**
 * One clip's training phase of the quality protocol, runnable on its own so the two clips
 * can train in the background while other work goes on:
 *   npx tsx bench/quality/train-clip.ts <franck|cap12> <root> [minutes=60] [threads=1]
 * An ablation variant runs with PORTRAIT_PROFILE_OVERRIDES set (see src-main/net/CONTEXT.md).
 * Writes <root>/<clip>-train.json (the TrainRun: step log with load average, snapshots).
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { createStudio } from '../../src-main/services/index.js';
import { studioClient } from '../../src-main/services/studio-client.js';
import { CLIPS, prepareClip, trainFor, type ClipName } from './protocol.js';

const [clipName, root, minutesArg, threadsArg] = process.argv.slice(2);
const clip = CLIPS[clipName as ClipName];
if (!clip || !root) {
  console.error('usage: train-clip.ts <franck|cap12> <root> [minutes] [threads]');
  process.exit(2);
}
const minutes = Number(minutesArg ?? 60);
const threads = Number(threadsArg ?? 1);
const studio = createStudio({ mode: 'browser' });
const client = studioClient(studio);
try {
  const prep = await prepareClip(client, root, clip);
  console.log(`tracked ${clip.name}: ${prep.framesWithFace}/${prep.frames} frames with a face in ${prep.trackSec.toFixed(1)} s`);
  const run = await trainFor(client, prep.dir, { profile: 'cpu', minutes, snapshotMinutes: 10, threads });
  await fs.writeFile(join(root, `${clip.name}-train.json`), JSON.stringify({ clip: clip.name, threads, profileOverrides: process.env['PORTRAIT_PROFILE_OVERRIDES'] ?? null, ...prep, ...run }, null, 2));
  console.log(`trained ${clip.name}: steps ${run.startStep} -> ${run.endStep} in ${run.minutes.toFixed(1)} min`);
} finally {
  await studio.dispose();
}
