/**
 * A long run's curve measured while it trains. A training project is locked by its training
 * process, so the snapshots are copied into an evaluation copy of the project (its tracking,
 * crop cache and project file, made once) and evaluated there, pixels only, each one that has
 * no kept report since `since`; the quality bench (BENCH_QUALITY_REUSE_FROM, _SINCE) then takes
 * those reports and evaluates only the run's last snapshot:
 *   npx tsx bench/quality/evaluate-snapshots.ts <training project dir> <copy dir> <since: ISO date>
 * The same job and figures as evaluateTrainRun's curve points. Run it again for new snapshots.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { createStudio } from '../../src-main/services/index.js';
import { studioClient } from '../../src-main/services/studio-client.js';
import { keptCurveReport } from './evaluate-run.js';

const [source, copy, since] = process.argv.slice(2);
if (!source || !copy || !since || Number.isNaN(Date.parse(since))) {
  console.error('usage: evaluate-snapshots.ts <training project dir> <copy dir> <since: ISO date>');
  process.exit(2);
}
const snapshots = (dir: string) => join(dir, 'checkpoints', 'snapshots');
if (!(await fs.access(join(copy, 'project.json')).then(() => true, () => false))) {
  await fs.mkdir(snapshots(copy), { recursive: true });
  for (const part of ['tracks', 'cache']) await fs.cp(join(source, part), join(copy, part), { recursive: true });
  await fs.writeFile(join(copy, 'project.json'), await fs.readFile(join(source, 'project.json')));
}
// A snapshot's .json is written after its .ckpt: copy only those with both.
const names = (await fs.readdir(snapshots(source))).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -'.json'.length)).sort();
for (const name of names) {
  for (const ext of ['.ckpt', '.json']) {
    const to = join(snapshots(copy), name + ext);
    if (!(await fs.access(to).then(() => true, () => false))) await fs.copyFile(join(snapshots(source), name + ext), to);
  }
}
const studio = createStudio({ mode: 'browser' });
const client = studioClient(studio);
try {
  await client.call('project.open', { dir: copy });
  for (const name of names) {
    const { step } = JSON.parse(await fs.readFile(join(snapshots(copy), `${name}.json`), 'utf8')) as { step: number };
    if (keptCurveReport(await client.call('evaluation.list', { dir: copy }), name, step, since)) continue;
    const r = await (await client.startJob('evaluation.start', { dir: copy, snapshot: name, control: false, identity: false, edits: false })).result;
    console.log(`${name} (step ${r.checkpoint.step}): PSNR face ${r.model.psnrMask?.toFixed(2)} dB, sharpness ${r.model.sharpness?.toFixed(2)}`);
  }
} finally {
  await studio.dispose();
}
