import type { PortraitClient } from '../../src-shared/ipc/client.js';
import type { EvaluationReport } from '../../src-shared/evaluation/schema.js';
import type { TrainRun } from './protocol.js';

export interface CurvePoint {
  snapshot: string;
  step: number;
  minutes: number;
  figures: EvaluationReport['model'];
  baselines: EvaluationReport['baselines'];
  /** When the point is a kept report made earlier (evaluated while the run trained), its date. */
  reusedReportOf?: string;
}

/** A kept pixels-only report of `snapshot` at `step` on the held-out frames, made at or after `since` (ISO date). */
export function keptCurveReport(kept: readonly EvaluationReport[], snapshot: string, step: number, since: string): EvaluationReport | null {
  return kept.find((r) => r.checkpoint.snapshot === snapshot && r.checkpoint.step === step && r.frames.selection === 'held-out' && Date.parse(r.createdAt) >= Date.parse(since)) ?? null;
}

/** Kept reports to take curve points from: those made since `since` in project `from` (a copy of the run's project, see evaluate-snapshots.ts). */
export interface ReuseReports {
  since: string;
  from: string;
}

/**
 * Every snapshot of a training run evaluated with `portrait evaluate`'s job: pixels only for
 * the curve, everything (identity, re-tracked control, edits) for the last one. With `reuse`,
 * a curve point whose snapshot already has such a kept report (made by
 * bench/quality/evaluate-snapshots.ts while a long run trained) takes it instead, marked.
 */
export async function evaluateTrainRun(client: PortraitClient, dir: string, train: Pick<TrainRun, 'snapshots'>, reuse?: ReuseReports): Promise<{ final: EvaluationReport | null; curve: CurvePoint[] }> {
  const curve: CurvePoint[] = [];
  const snaps = [...train.snapshots].sort((a, b) => a.step - b.step);
  let final: EvaluationReport | null = null;
  let kept: EvaluationReport[] = [];
  if (reuse) {
    await client.call('project.open', { dir: reuse.from });
    kept = await client.call('evaluation.list', { dir: reuse.from });
  }
  await client.call('project.open', { dir });
  for (let i = 0; i < snaps.length; i++) {
    const s = snaps[i]!;
    const last = i === snaps.length - 1;
    const reused = !last && reuse ? keptCurveReport(kept, s.name, s.step, reuse.since) : null;
    if (reused) {
      curve.push({ snapshot: s.name, step: reused.checkpoint.step, minutes: s.minutesRequested, figures: reused.model, baselines: reused.baselines, reusedReportOf: reused.createdAt });
      continue;
    }
    const job = await client.startJob('evaluation.start', { dir, snapshot: s.name, ...(last ? {} : { control: false, identity: false, edits: false }) });
    const r = await job.result;
    curve.push({ snapshot: s.name, step: r.checkpoint.step, minutes: s.minutesRequested, figures: r.model, baselines: r.baselines });
    if (last) final = r;
  }
  return { final, curve };
}

/**
 * PSNR inside the face mask extrapolated to `minutes` with a least-squares fit of
 * psnrMask = a + b ln(minutes) over the curve: a projection, labelled as one, never a
 * measurement (a curve that flattens faster than logarithmically will fall short of it).
 */
export function projectTo(minutes: number, curve: readonly CurvePoint[]): { minutes: number; psnrMask: number | null; fit: { a: number; b: number } | null; points: number; kind: 'projection (log fit)' } {
  const pts = curve.filter((c) => c.minutes > 0 && c.figures.psnrMask !== null).map((c) => [Math.log(c.minutes), c.figures.psnrMask!] as const);
  if (pts.length < 2) return { minutes, psnrMask: null, fit: null, points: pts.length, kind: 'projection (log fit)' };
  const n = pts.length;
  const mx = pts.reduce((s, p) => s + p[0], 0) / n;
  const my = pts.reduce((s, p) => s + p[1], 0) / n;
  const sxx = pts.reduce((s, p) => s + (p[0] - mx) ** 2, 0);
  const b = sxx > 0 ? pts.reduce((s, p) => s + (p[0] - mx) * (p[1] - my), 0) / sxx : 0;
  const a = my - b * mx;
  return { minutes, psnrMask: a + b * Math.log(minutes), fit: { a, b }, points: n, kind: 'projection (log fit)' };
}
