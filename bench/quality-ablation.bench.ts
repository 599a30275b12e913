/**
 * Renderer ablations (issue 14): each variant is the cpu profile with one change
 * (PORTRAIT_PROFILE_OVERRIDES), trained on the same clip for the same wall-clock budget as
 * the baseline, alone on the machine, through bench/quality/train-clip.ts into
 * BENCH_ABLATION_DIR/<variant>/. Here every snapshot of every variant is evaluated with the
 * same job as `portrait evaluate` and set beside the baseline run of BENCH_QUALITY_DIR at the
 * same minute mark.
 * Env: BENCH_ABLATION_DIR (required), BENCH_QUALITY_DIR (the baseline runs), BENCH_ABLATION_CLIP (franck).
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { createStudio } from '../src-main/services/index.js';
import { studioClient } from '../src-main/services/studio-client.js';
import type { TrainRun } from './quality/protocol.js';
import { evaluateTrainRun, type CurvePoint } from './quality/evaluate-run.js';

type TrainJson = TrainRun & { dir: string; profileOverrides: string | null; threads: number };

export async function run(): Promise<Record<string, unknown>> {
  const root = process.env['BENCH_ABLATION_DIR'];
  const base = process.env['BENCH_QUALITY_DIR'];
  const clip = process.env['BENCH_ABLATION_CLIP'] ?? 'franck';
  if (!root || !base) throw new Error('set BENCH_ABLATION_DIR and BENCH_QUALITY_DIR (see the header of bench/quality-ablation.bench.ts)');
  const read = (file: string) => fs.readFile(file, 'utf8').then((s) => JSON.parse(s) as TrainJson);
  const baseline = await read(join(base, `${clip}-train.json`));
  const variants = (await fs.readdir(root, { withFileTypes: true })).filter((d) => d.isDirectory()).map((d) => d.name).sort();
  const studio = createStudio({ mode: 'browser' });
  const client = studioClient(studio);
  try {
    const out: Record<string, unknown> = { clip, baselineRun: { dir: baseline.dir, minutes: baseline.minutes, steps: baseline.endStep - baseline.startStep } };
    // The baseline's curve as the quality bench measured it (same job, same frames), when there.
    const kept = await fs.readFile(join(process.cwd(), 'bench', 'results', 'quality.json'), 'utf8').then(
      (t) => (JSON.parse(t) as { figures: Record<string, { curve?: CurvePoint[]; final?: unknown }> }).figures[clip] ?? null,
      () => null,
    );
    const baseEval = kept?.curve ? { curve: kept.curve, final: kept.final ?? null } : await evaluateTrainRun(client, baseline.dir, baseline);
    const rows = [];
    for (const v of variants) {
      const train = await read(join(root, v, `${clip}-train.json`)).catch(() => null);
      if (!train) continue;
      const ev = await evaluateTrainRun(client, train.dir, train);
      for (const point of ev.curve) {
        const ref = baseEval.curve.find((c) => c.minutes === point.minutes);
        rows.push({
          variant: v,
          overrides: train.profileOverrides,
          minutes: point.minutes,
          steps: point.step,
          baselineSteps: ref?.step ?? null,
          psnrMask: point.figures.psnrMask,
          baselinePsnrMask: ref?.figures.psnrMask ?? null,
          sharpness: point.figures.sharpness,
          baselineSharpness: ref?.figures.sharpness ?? null,
          flicker: point.figures.flicker,
          baselineFlicker: ref?.figures.flicker ?? null,
          ssimMask: point.figures.ssimMask,
          baselineSsimMask: ref?.figures.ssimMask ?? null,
          oracleRetrievalPsnrMask: point.baselines.oracleRetrieval.psnrMask,
          meanCropPsnrMask: point.baselines.meanCrop.psnrMask,
          texturedModelPsnrMask: point.baselines.texturedModel?.psnrMask ?? null,
          localTexturedModelPsnrMask: point.baselines.localTexturedModel?.psnrMask ?? null,
        });
      }
      out[v] = { overrides: train.profileOverrides, steps: train.endStep - train.startStep, minutes: train.minutes, final: ev.final };
    }
    out['table'] = rows;
    out['baselineFinal'] = baseEval.final;
    return out;
  } finally {
    await studio.dispose();
  }
}
