/**
 * Evaluates, pixels only, the snapshots of a project that have no kept report since a date,
 * so a long run's curve is measured while it trains and the quality bench
 * (BENCH_QUALITY_REUSE_SINCE) then evaluates only its last snapshot:
 *   npx tsx bench/quality/evaluate-snapshots.ts <project dir> <since: ISO date>
 * The same job and figures as evaluateTrainRun's curve points.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { createStudio } from '../../src-main/services/index.js';
import { studioClient } from '../../src-main/services/studio-client.js';
import { keptCurveReport } from './evaluate-run.js';

const [dir, since] = process.argv.slice(2);
if (!dir || !since || Number.isNaN(Date.parse(since))) {
  console.error('usage: evaluate-snapshots.ts <project dir> <since: ISO date>');
  process.exit(2);
}
const studio = createStudio({ mode: 'browser' });
const client = studioClient(studio);
try {
  await client.call('project.open', { dir });
  const folder = join(dir, 'checkpoints', 'snapshots');
  const names = (await fs.readdir(folder)).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();
  for (const name of names) {
    const { step } = JSON.parse(await fs.readFile(join(folder, `${name}.json`), 'utf8')) as { step: number };
    if (keptCurveReport(await client.call('evaluation.list', { dir }), name, step, since)) continue;
    const r = await (await client.startJob('evaluation.start', { dir, snapshot: name, control: false, identity: false, edits: false })).result;
    console.log(`${name} (step ${r.checkpoint.step}): PSNR face ${r.model.psnrMask?.toFixed(2)} dB, sharpness ${r.model.sharpness?.toFixed(2)}`);
  }
} finally {
  await studio.dispose();
}
