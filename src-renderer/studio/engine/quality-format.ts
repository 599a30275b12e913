/**
 * Pure helpers of the Quality section: which baseline is best for a figure, whether the
 * network beats it, number formatting, and the labels that keep a report from being misread
 * (a network figure is never shown without the best baseline beside it). No React, no
 * contract calls.
 */
import type { ControlFigures, EditFigures, EvaluationReport, ImageFigures } from '../../../src-shared/evaluation/schema.js';
import type { JobProgress, JobSummary } from '../../../src-shared/jobs/schema.js';
import { count } from '../../../src-shared/text/count.js';

export type FigureKey = 'psnr' | 'psnrMask' | 'ssim' | 'ssimMask' | 'sharpness' | 'flicker' | 'identity';
export type BaselineKey = keyof EvaluationReport['baselines'];

/**
 * How a figure is read: 'higher' is better, or 'nearOne' for the ratios to the real footage
 * (sharpness, flicker: 1 = as the footage; a blurred or frozen output is below, a noisy or
 * jittering one above, so the distance to 1 is compared on a log scale).
 */
export type Direction = 'higher' | 'nearOne';

export interface FigureColumn {
  key: FigureKey;
  /** Column header in the table. */
  header: string;
  /** What the column measures, for a tooltip. */
  description: string;
  direction: Direction;
  digits: number;
}

export const FIGURE_COLUMNS: readonly FigureColumn[] = [
  { key: 'psnr', header: 'PSNR dB', description: 'PSNR over the whole crop (dB, higher is better)', direction: 'higher', digits: 2 },
  { key: 'psnrMask', header: 'PSNR face dB', description: 'PSNR inside the face mask (dB, higher is better)', direction: 'higher', digits: 2 },
  { key: 'ssim', header: 'SSIM', description: 'SSIM over the whole crop (higher is better)', direction: 'higher', digits: 3 },
  { key: 'ssimMask', header: 'SSIM face', description: 'SSIM inside the face mask (higher is better)', direction: 'higher', digits: 3 },
  { key: 'sharpness', header: 'sharpness', description: 'Detail relative to the real frames (1 = as sharp as the footage; closer to 1 is better)', direction: 'nearOne', digits: 2 },
  { key: 'flicker', header: 'flicker', description: 'Frame-to-frame change relative to the real video (1 = as steady as the footage; closer to 1 is better)', direction: 'nearOne', digits: 2 },
  { key: 'identity', header: 'identity', description: 'Cosine similarity of face embeddings, output vs real frame (higher is better)', direction: 'higher', digits: 3 },
];

export const BASELINE_ROWS: ReadonlyArray<{ key: BaselineKey; label: string; description: string }> = [
  { key: 'meanCrop', label: 'mean training crop', description: 'The mean of all training crops: ignores the conditioning.' },
  { key: 'nearestParams', label: 'nearest params', description: 'The training frame whose tracked parameters are nearest to the frame’s.' },
  { key: 'oracleRetrieval', label: 'oracle best training frame', description: 'Oracle: the training frame closest to the real frame in pixels (it needs the answer: an upper bound for retrieval).' },
  { key: 'texturedModel', label: 'textured face model', description: 'The face model in the frame’s pose and expression, drawn with the actor’s texture unwrapped from the training crops, over the mean crop: no network.' },
  { key: 'localTexturedModel', label: 'local textured model', description: 'The same drawing with the texture of the training frames nearest to the frame’s parameters blended over the average: no network.' },
];

export const NETWORK_LABEL = 'network';

export function baselineLabel(key: BaselineKey): string {
  return BASELINE_ROWS.find((b) => b.key === key)!.label;
}

/** A figure's value, or null when it was not measured or is not a finite number. */
export function figureValue(f: ImageFigures, key: FigureKey): number | null {
  const v = f[key];
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

/** A score where larger is better, for comparing values of one figure. */
export function figureScore(direction: Direction, v: number): number {
  if (direction === 'higher') return v;
  return v > 0 ? -Math.abs(Math.log(v)) : Number.NEGATIVE_INFINITY;
}

function direction(key: FigureKey): Direction {
  return FIGURE_COLUMNS.find((c) => c.key === key)!.direction;
}

/** The baseline that scores best on a figure (the first listed on a tie), or null when none measured it. */
export function bestBaseline(report: Pick<EvaluationReport, 'baselines'>, key: FigureKey): { baseline: BaselineKey; value: number } | null {
  const dir = direction(key);
  let best: { baseline: BaselineKey; value: number } | null = null;
  for (const { key: b } of BASELINE_ROWS) {
    const f = report.baselines[b];
    const v = f ? figureValue(f, key) : null;
    if (v === null) continue;
    if (!best || figureScore(dir, v) > figureScore(dir, best.value)) best = { baseline: b, value: v };
  }
  return best;
}

export type Verdict = 'beats' | 'behind' | 'unmeasured';

/** Theme colours of a network figure by verdict (MUI palette paths). */
export const VERDICT_COLOR: Record<Verdict, string> = { beats: 'success.main', behind: 'error.main', unmeasured: 'text.secondary' };

/** Whether the network beats the best baseline on a figure (a tie does not beat it). */
export function verdict(report: Pick<EvaluationReport, 'model' | 'baselines'>, key: FigureKey): Verdict {
  const v = figureValue(report.model, key);
  const best = bestBaseline(report, key);
  if (v === null || !best) return 'unmeasured';
  const dir = direction(key);
  return figureScore(dir, v) > figureScore(dir, best.value) ? 'beats' : 'behind';
}

/** Words for a network cell's verdict (tooltip and accessible name). */
export function verdictText(report: Pick<EvaluationReport, 'model' | 'baselines'>, key: FigureKey): string {
  const best = bestBaseline(report, key);
  const col = FIGURE_COLUMNS.find((c) => c.key === key)!;
  switch (verdict(report, key)) {
    case 'beats':
      return `beats the best baseline (${baselineLabel(best!.baseline)}, ${fmtFigure(key, best!.value)})`;
    case 'behind':
      return `does not beat the best baseline (${baselineLabel(best!.baseline)}, ${fmtFigure(key, best!.value)})`;
    default:
      return figureValue(report.model, key) === null ? `${col.header} not measured for the network` : `${col.header} not measured for any baseline`;
  }
}

/** A figure as the table shows it; '–' when not measured. */
export function fmtFigure(key: FigureKey, v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '–';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  return v.toFixed(FIGURE_COLUMNS.find((c) => c.key === key)!.digits);
}

/** Profiles whose figures can be set beside the paper's and other full-size runs' (256 px). */
export const COMPARABLE_PROFILES: ReadonlySet<string> = new Set(['paper']);

/**
 * "not comparable: tiny profile at 16 px" for reports of test and preview profiles (their
 * figures only mean something beside the baselines of the same report), else null.
 */
export function comparabilityLabel(checkpoint: Pick<EvaluationReport['checkpoint'], 'profile' | 'resolution'>): string | null {
  if (COMPARABLE_PROFILES.has(checkpoint.profile) && checkpoint.resolution >= 256) return null;
  return `not comparable: ${checkpoint.profile} profile at ${checkpoint.resolution} px`;
}

/** What was evaluated: "Latest checkpoint" or "Snapshot “name”". */
export function checkpointName(report: Pick<EvaluationReport, 'checkpoint'>): string {
  return report.checkpoint.snapshot ? `Snapshot “${report.checkpoint.snapshot}”` : 'Latest checkpoint';
}

/** One line: what was evaluated, on which frames, how long it took. */
export function reportSummary(report: EvaluationReport): string {
  const c = report.checkpoint;
  const f = report.frames;
  const sel = f.selection === 'held-out' ? 'held-out frames' : `frames ${f.selection.start}–${f.selection.end}`;
  const parts = [
    `${checkpointName(report)} · step ${c.step}`,
    `${c.profile} profile, ${c.resolution} px`,
    `${f.evaluated} ${sel} evaluated${f.skipped ? ` (${f.skipped} without a face skipped)` : ''}`,
    `${fmtSeconds(report.seconds)}`,
  ];
  // Pixels-only runs still report the frames they would have used: name them only when used.
  const usedControlFrames = report.control !== null || report.model.identityFrames > 0 || report.identityRealReference !== null;
  if (f.controlFrames > 0 && usedControlFrames) parts.splice(3, 0, `${f.controlFrames} for identity/control`);
  return parts.join(' · ');
}

export function fmtSeconds(s: number): string {
  if (!Number.isFinite(s)) return '–';
  if (s < 60) return `${s < 10 ? s.toFixed(1) : s.toFixed(0)} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${Math.round(s % 60)} s`;
  return `${Math.floor(s / 3600)} h ${Math.round((s % 3600) / 60)} min`;
}

/** The newest report of a named snapshot (reports come newest first). */
export function reportForSnapshot(reports: readonly EvaluationReport[], name: string): EvaluationReport | null {
  return reports.find((r) => r.checkpoint.snapshot === name) ?? null;
}

/** "face 23.1 dB (best baseline 23.9)" for the snapshot list, with the verdict; null when not measured. */
export function snapshotFigure(report: EvaluationReport): { text: string; verdict: Verdict; title: string } | null {
  const v = figureValue(report.model, 'psnrMask');
  const best = bestBaseline(report, 'psnrMask');
  if (v === null || !best) return null;
  const label = comparabilityLabel(report.checkpoint);
  return {
    text: `face ${v.toFixed(1)} dB (best baseline ${best.value.toFixed(1)})`,
    verdict: verdict(report, 'psnrMask'),
    title: `PSNR inside the face mask on ${count(report.frames.evaluated, 'frame')}; best baseline: ${baselineLabel(best.baseline)}${label ? ` · ${label}` : ''}`,
  };
}

/** Control rows: the network's re-tracked output and the tracker's floor on the real frames. */
export interface ControlCells {
  pose: string;
  gaze: string;
  blink: string;
  landmarks: string;
  expression: string;
  frames: string;
}

const num = (v: number | null, d: number, unit = '') => (v === null || !Number.isFinite(v) ? '–' : `${v.toFixed(d)}${unit}`);

export function controlCells(c: ControlFigures | null): ControlCells | null {
  if (!c) return null;
  return {
    pose: num(c.poseDegMedian, 2, '°'),
    gaze: num(c.gazeDegMedian, 2, '°'),
    blink: c.blinkAccuracy === null || !Number.isFinite(c.blinkAccuracy) ? '–' : `${(100 * c.blinkAccuracy).toFixed(0)} %`,
    landmarks: num(c.landmarkIod, 3),
    expression: num(c.expressionL1, 3),
    frames: `${c.frames - c.lost}/${c.frames}`,
  };
}

/** An edit's measured change: "4.80 (min 3.90 .. max 5.20)". */
export function editMeasured(e: { measuredMedian: number | null; measuredMin: number | null; measuredMax: number | null }, digits = 2): string {
  if (e.measuredMedian === null) return 'not measured';
  const range = e.measuredMin !== null && e.measuredMax !== null ? ` (${e.measuredMin.toFixed(digits)}..${e.measuredMax.toFixed(digits)})` : '';
  return `${e.measuredMedian.toFixed(digits)}${range}`;
}

/**
 * The edits table's column for the local textured model (no network) drawn with each edit:
 * null when the report predates it (no column), else one cell per edit.
 */
export function editDrawingCells(edits: readonly Pick<EditFigures, 'localTexturedModel'>[]): string[] | null {
  if (!edits.some((e) => e.localTexturedModel)) return null;
  return edits.map((e) => (e.localTexturedModel ? editMeasured(e.localTexturedModel) : 'not measured'));
}

/** Progress as the section draws it: indeterminate until the first unit is done. */
export function progressView(p: Pick<JobProgress, 'done' | 'total' | 'stage' | 'etaSec'> | null): { variant: 'determinate' | 'indeterminate'; value: number; text: string } {
  if (!p) return { variant: 'indeterminate', value: 0, text: 'Starting the evaluation…' };
  const counted = p.total > 0 && p.done > 0;
  const eta = p.etaSec !== null && counted ? ` · ${fmtSeconds(p.etaSec)} left` : '';
  return {
    variant: counted ? 'determinate' : 'indeterminate',
    value: counted ? Math.min(100, (100 * p.done) / p.total) : 0,
    text: `${p.stage}${p.total > 1 ? ` · ${p.done}/${p.total}` : ''}${eta}`,
  };
}

/** The running evaluation of this project among the host's jobs (to re-attach on open). */
export function pickEvaluationJob(jobs: readonly JobSummary[], dir: string): JobSummary | null {
  const mine = jobs.filter((j) => j.channel === 'evaluation.start' && (j.state === 'running' || j.state === 'queued') && j.dir === dir);
  return mine[mine.length - 1] ?? null;
}
