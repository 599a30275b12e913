import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { EvaluationReport, type EvaluationRequest } from '../../../src-shared/evaluation/schema.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import type { JobContext } from '../jobs/job-runner.js';
import { runInWorker } from '../workers/run-in-worker.js';
import { trainingPaths } from '../training/training-files.js';
import { readJson } from '../../fs/read-json.js';
import { siblingModule } from '../workers/sibling-module.js';
import type { EvaluateArgs } from './evaluate-task.js';
import { makeDir } from '../../fs/make-dir.js';

const TASK = siblingModule(import.meta.url, 'evaluate-task');

export function evaluationsDir(dir: string): string {
  return join(trainingPaths(dir).root, 'evaluations');
}

/** One report per checkpoint (or snapshot) and frame selection; a newer run replaces it. */
export function reportFileName(r: Pick<EvaluationReport, 'checkpoint' | 'frames'>): string {
  const who = r.checkpoint.snapshot ? `snapshot-${r.checkpoint.snapshot}` : `step-${String(r.checkpoint.step).padStart(7, '0')}`;
  const sel = r.frames.selection === 'held-out' ? 'held-out' : `${r.frames.selection.start}-${r.frames.selection.end}`;
  return `${who}.${sel}.json`;
}

/** Evaluation as a job: the measuring runs in a worker; the report is kept in the project. */
export async function runEvaluation(req: EvaluationRequest, ctx: JobContext): Promise<EvaluationReport> {
  const report = await runInWorker<EvaluateArgs, EvaluationReport>(TASK, 'evaluateTask', req, {
    signal: ctx.signal,
    onProgress: (done, total, stage) => ctx.progress(done, total, stage),
  });
  if (req.save !== false) {
    const root = evaluationsDir(req.dir);
    await makeDir(root);
    await writeFileAtomic(join(root, reportFileName(report)), JSON.stringify(report, null, 2));
  }
  return report;
}

/** Saved reports of a project, newest first; unreadable files are skipped, never fatal. */
export async function listEvaluations(dir: string): Promise<EvaluationReport[]> {
  const root = evaluationsDir(dir);
  const names = await fs.readdir(root).catch(() => [] as string[]);
  const out: EvaluationReport[] = [];
  for (const n of names.filter((x) => x.endsWith('.json'))) {
    const r = await readJson(join(root, n), EvaluationReport);
    if (r) out.push(r);
  }
  return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
}
