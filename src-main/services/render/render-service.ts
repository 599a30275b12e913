import { resolve } from 'node:path';
import { audioProblem } from '../../../src-shared/project/audio-choice.js';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import type { RenderRequest, RenderResult } from '../../../src-shared/ipc/contract.js';
import type { JobContext } from '../jobs/job-runner.js';
import { runInWorker } from '../workers/run-in-worker.js';
import { readProjectFile } from '../project/project-store.js';
import { checkOutputTarget } from './output-target.js';
import { recordRender } from './render-history.js';

import { siblingModule } from '../workers/sibling-module.js';
import { codecSpec, outputNameProblem } from '../../../src-shared/output/codecs.js';
const TASK = siblingModule(import.meta.url, 'render-task');

/** Refuses early (before a job starts) what would fail anyway: an existing file, a wrong extension. */
export async function precheckRender(req: RenderRequest): Promise<void> {
  const out = resolve(req.out);
  const nameProblem = outputNameProblem(req.codec, out);
  if (nameProblem) throw new PortraitError('BAD_REQUEST', nameProblem, { field: 'out' });
  // A sound that cannot work fails here, before the job starts, not after the network loaded.
  if (req.audio && codecSpec(req.codec).audio !== null) {
    const problem = audioProblem((await readProjectFile(req.dir)).project.media, req.audio);
    if (problem) throw new PortraitError('BAD_REQUEST', problem, { field: 'audio' });
  }
  if (req.farm) {
    const { farmCodecProblem } = await import('./farm/submit.js');
    const problem = farmCodecProblem(req.codec);
    if (problem) throw new PortraitError('BAD_REQUEST', problem, { field: 'codec' });
  }
  await checkOutputTarget(req);
}

export async function runRender(req: RenderRequest, ctx: JobContext): Promise<RenderResult> {
  const r = req.farm ? await runOnFarm(req, req.farm, ctx) : await runInWorker<RenderRequest, RenderResult>(TASK, 'renderTask', { ...req, out: resolve(req.out) }, {
    signal: ctx.signal,
    cancelGraceMs: 20_000,
    onProgress: (done, total, stage, metrics) => ctx.progress(done, total, stage, metrics),
  });
  // The file is complete and verified: list it for the studio's renders and player. The render
  // stands even if the list cannot be written (it only indexes files).
  await recordRender(req.dir, req, r).catch((e: unknown) => console.warn(`portrait: could not add ${r.file} to renders.json: ${e instanceof Error ? e.message : String(e)}`));
  return r;
}

/**
 * On a farm this process only queues, waits and joins (no frame is rendered here), so the job
 * runs on the event loop; bullmq is loaded only now.
 */
async function runOnFarm(req: RenderRequest, farm: NonNullable<RenderRequest['farm']>, ctx: JobContext): Promise<RenderResult> {
  const { runFarmRender } = await import('./farm/submit.js');
  return runFarmRender({ ...req, out: resolve(req.out) }, farm, { signal: ctx.signal, progress: (done, total, stage) => ctx.progress(done, total, stage) });
}
