/**
 * Pure helpers of the training dashboard: merging the saved loss history with live job
 * progress, thinning long series for charts, finding a running training job to re-attach
 * to, and the profile descriptions. No React, no contract calls.
 */
import type { TrainingMetrics } from '../../../src-shared/ipc/contract.js';
import type { JobProgress, JobSummary } from '../../../src-shared/jobs/schema.js';
import { isProfileName, PROFILE_INFO, PROFILE_NAMES, type ProfileName } from '../../../src-shared/net/profiles.js';

export type ProfileId = ProfileName;
export { PROFILE_INFO };
export const PROFILE_IDS: readonly ProfileId[] = PROFILE_NAMES;
export const isProfileId = isProfileName;

/** Training metrics carried by a training job's progress event, or null (loading stages). */
export function metricsFromProgress(p: Pick<JobProgress, 'metrics'> | null | undefined): TrainingMetrics | null {
  const m = p?.metrics;
  if (!m || typeof m['step'] !== 'number' || typeof m['lossG'] !== 'number') return null;
  const out: TrainingMetrics = {
    step: m['step'],
    lossG: m['lossG'],
    lossD: m['lossD'] ?? NaN,
    lossL1: m['lossL1'] ?? NaN,
    stepsPerSec: m['stepsPerSec'] ?? 0,
  };
  if (typeof m['psnr'] === 'number') out.psnr = m['psnr'];
  if (typeof m['ssim'] === 'number') out.ssim = m['ssim'];
  if (typeof m['valL1'] === 'number') out.valL1 = m['valL1'];
  return out;
}

/**
 * One series by step: the saved history (up to the last checkpoint; for a long run the host
 * sends an even spread of it with its most recent steps whole, so its stride is no gap) and,
 * past its end, the live points of the run being followed (progress events may skip steps, so
 * inside the history's range the history wins).
 */
export function mergeSeries(history: readonly TrainingMetrics[], live: readonly TrainingMetrics[]): TrainingMetrics[] {
  const lastSaved = history.length ? history[history.length - 1]!.step : -1;
  const out = [...history];
  for (const l of live) if (l.step > lastSaved) out.push(l);
  return out.sort((a, b) => a.step - b.step);
}

/**
 * The live points still needed once a status reply came: those past the saved history's end
 * (the host appends every step to the history, so a refresh covers what was followed live and
 * the live list stays as short as a validation interval however long the run). The same array
 * when nothing is dropped.
 */
export function livePastHistory(history: readonly TrainingMetrics[], live: TrainingMetrics[]): TrainingMetrics[] {
  const end = history.length ? history[history.length - 1]!.step : null;
  if (end === null || !live.some((l) => l.step <= end)) return live;
  return live.filter((l) => l.step > end);
}

/** Steps the dashboard has no figures for (it was closed, or re-attached to a running job). */
export interface MissingSpan {
  /** The last step with figures before the gap, and the first after it. */
  after: number;
  before: number;
}

const MIN_GAP_STEPS = 20;

/**
 * Where the merged series has no data: between the saved history's end and the first live
 * point, and between live points, wherever the jump is well beyond the live stride (progress
 * events are coalesced, so live points are some steps apart by design).
 */
export function missingSpans(history: readonly TrainingMetrics[], live: readonly TrainingMetrics[]): MissingSpan[] {
  const lastSaved = history.length ? history[history.length - 1]!.step : null;
  const fresh = live.filter((l) => lastSaved === null || l.step > lastSaved);
  const strides = fresh.slice(1).map((l, i) => l.step - fresh[i]!.step).sort((a, b) => a - b);
  const stride = strides.length ? strides[strides.length >> 1]! : 1;
  const limit = Math.max(MIN_GAP_STEPS, 3 * stride);
  const out: MissingSpan[] = [];
  let prev = lastSaved;
  for (const l of fresh) {
    if (prev !== null && l.step - prev > limit) out.push({ after: prev, before: l.step });
    prev = l.step;
  }
  return out;
}

/** A chart row: a point's figures, or an empty row that breaks the line over a missing span. */
export type ChartRow = Partial<TrainingMetrics> & { step: number };

/** The thinned series with an empty row inside each missing span, so no line is drawn across it. */
export function chartRows(series: readonly TrainingMetrics[], missing: readonly MissingSpan[], max: number): ChartRow[] {
  const rows: ChartRow[] = thin(series, max);
  for (const m of missing) rows.push({ step: (m.after + m.before) / 2 });
  return rows.sort((a, b) => a.step - b.step);
}

/** At most `max` evenly spread points (always keeping the last one) for a responsive chart. */
export function thin<T>(points: readonly T[], max: number): T[] {
  if (points.length <= max) return points.slice();
  const out: T[] = [];
  const stride = points.length / (max - 1);
  for (let i = 0; i < max - 1; i++) out.push(points[Math.floor(i * stride)]!);
  out.push(points[points.length - 1]!);
  return out;
}

/** The validation points (PSNR/SSIM were measured at these steps). */
export function validationPoints(series: readonly TrainingMetrics[]): TrainingMetrics[] {
  return series.filter((m) => m.psnr !== undefined || m.ssim !== undefined);
}

/**
 * The running training job of this project among all jobs of the host. Jobs do not name
 * their project, so when several projects train at once the one whose step is closest to
 * this project's last known step is taken.
 */
export function pickTrainingJob(jobs: readonly JobSummary[], lastStep: number | null, dir?: string): JobSummary | null {
  const all = jobs.filter((j) => j.channel === 'training.start' && (j.state === 'running' || j.state === 'queued'));
  // Jobs name their project when the host is new enough; older hosts fall back to the step heuristic.
  const mine = dir ? all.filter((j) => j.dir === dir) : [];
  if (mine.length) return mine[mine.length - 1]!;
  const running = all.filter((j) => !j.dir);
  if (running.length <= 1) return running[0] ?? null;
  if (lastStep === null) return running[running.length - 1]!;
  const dist = (j: JobSummary) => Math.abs((j.progress?.done ?? 0) - lastStep);
  return [...running].sort((a, b) => dist(a) - dist(b))[0]!;
}

/** Seconds left from the job's estimate, else from the measured step rate. */
export function trainingEta(p: Pick<JobProgress, 'done' | 'total' | 'etaSec'> | null, stepsPerSec: number | null): number | null {
  if (!p || p.total <= 0) return null;
  if (p.etaSec !== null) return p.etaSec;
  if (stepsPerSec && stepsPerSec > 0) return Math.max(0, (p.total - p.done) / stepsPerSec);
  return null;
}

export function fmtDuration(sec: number | null): string {
  if (sec === null || !Number.isFinite(sec)) return '—';
  if (sec < 60) return `${Math.ceil(sec)} s`;
  if (sec < 3600) return `${Math.floor(sec / 60)} min ${Math.round(sec % 60)} s`;
  return `${Math.floor(sec / 3600)} h ${Math.round((sec % 3600) / 60)} min`;
}

export interface StepsField {
  value: number;
  /** a whole number above 0 (enough to restart from scratch) */
  valid: boolean;
  /** above the steps already trained (resuming would train something) */
  resumable: boolean;
  help: string;
}

/**
 * The "Total steps" field: what the user typed, else the running job's target, else the
 * profile's default, never below the steps already trained (issue 16, item 7).
 */
export function stepsField(typed: string, o: { runningTotal: number | null; profileDefault: number; lastStep: number | null }): StepsField {
  const trained = o.lastStep ?? 0;
  const value = typed === '' ? (o.runningTotal ?? Math.max(o.profileDefault, trained)) : Number(typed);
  const valid = Number.isInteger(value) && value > 0;
  const resumable = valid && value > trained;
  const help = !valid
    ? 'A whole number of steps above 0.'
    : !resumable && trained > 0
      ? `Already trained to step ${trained}: raise the total to train more (or restart from scratch).`
      : 'Training stops at this step count (in total, resumed runs included).';
  return { value, valid, resumable, help };
}
