import { describe, expect, it } from 'vitest';
import type { JobSummary } from '../../../src-shared/jobs/schema.js';
import {
  bestBaseline,
  comparabilityLabel,
  controlCells,
  editMeasured,
  editDrawingCells,
  figureScore,
  fmtFigure,
  pickEvaluationJob,
  progressView,
  reportForSnapshot,
  reportSummary,
  snapshotFigure,
  verdict,
  verdictText,
} from './quality-format.js';
import { fig, report } from './quality-fixtures.js';

describe('quality figures', () => {
  it('picks the best baseline per figure: highest for PSNR/SSIM, nearest 1 for sharpness and flicker', () => {
    const r = report();
    expect(bestBaseline(r, 'psnr')).toEqual({ baseline: 'oracleRetrieval', value: 24 });
    expect(bestBaseline(r, 'psnrMask')).toEqual({ baseline: 'nearestParams', value: 23.9 });
    expect(bestBaseline(r, 'ssimMask')).toEqual({ baseline: 'oracleRetrieval', value: 0.8 });
    // 0.95 is nearer 1 than 1.1 (log scale: a blur by 2x is as far as a sharpening by 2x).
    expect(bestBaseline(r, 'sharpness')).toEqual({ baseline: 'oracleRetrieval', value: 0.95 });
    // A frozen output (flicker 0) is infinitely far from the footage: 2.5 wins.
    expect(bestBaseline(r, 'flicker')).toEqual({ baseline: 'nearestParams', value: 2.5 });
    expect(bestBaseline(r, 'identity')).toBeNull();
    expect(figureScore('nearOne', 0.5)).toBeCloseTo(figureScore('nearOne', 2));
  });

  it('says whether the network beats the best baseline; a tie does not beat it; unmeasured stays neutral', () => {
    const r = report();
    expect(verdict(r, 'psnr')).toBe('behind');
    expect(verdict(r, 'psnrMask')).toBe('behind');
    expect(verdict(r, 'ssim')).toBe('behind');
    expect(verdict(r, 'flicker')).toBe('beats');
    expect(verdict(r, 'sharpness')).toBe('behind');
    expect(verdict(r, 'identity')).toBe('unmeasured');
    const tie = report({ model: fig({ psnr: 24 }) });
    expect(verdict(tie, 'psnr')).toBe('behind');
    const win = report({ model: fig({ psnrMask: 30 }) });
    expect(verdict(win, 'psnrMask')).toBe('beats');
    expect(verdictText(win, 'psnrMask')).toBe('beats the best baseline (nearest params, 23.90)');
    expect(verdictText(r, 'psnr')).toBe('does not beat the best baseline (oracle best training frame, 24.00)');
    expect(verdictText(r, 'identity')).toBe('identity not measured for the network');
  });

  it('formats figures and leaves unmeasured ones as a dash', () => {
    expect(fmtFigure('psnr', 23.144)).toBe('23.14');
    expect(fmtFigure('ssim', 0.81234)).toBe('0.812');
    expect(fmtFigure('flicker', 1.234)).toBe('1.23');
    expect(fmtFigure('identity', null)).toBe('–');
    expect(fmtFigure('sharpness', Number.POSITIVE_INFINITY)).toBe('∞');
    expect(fmtFigure('psnr', Number.NaN)).toBe('–');
  });

  it('labels test and preview profiles as not comparable', () => {
    expect(comparabilityLabel({ profile: 'tiny', resolution: 16 })).toBe('not comparable: tiny profile at 16 px');
    expect(comparabilityLabel({ profile: 'light', resolution: 128 })).toBe('not comparable: light profile at 128 px');
    expect(comparabilityLabel({ profile: 'paper', resolution: 256 })).toBeNull();
  });

  it('summarises what was evaluated', () => {
    expect(reportSummary(report())).toBe('Latest checkpoint · step 400 · tiny profile, 16 px · 7 held-out frames evaluated (1 without a face skipped) · 3.2 s');
    const snap = report({ checkpoint: { snapshot: 'good', step: 20_000, profile: 'light', resolution: 128 }, frames: { selection: { start: 0, end: 99 }, evaluated: 100, skipped: 0, controlFrames: 60, includesTrainingFrames: true }, seconds: 125 });
    expect(reportSummary(snap)).toBe('Snapshot “good” · step 20000 · light profile, 128 px · 100 frames 0–99 evaluated · 2 min 5 s');
    const measured = { ...snap, model: fig({ identityFrames: 50 }) };
    expect(reportSummary(measured)).toBe('Snapshot “good” · step 20000 · light profile, 128 px · 100 frames 0–99 evaluated · 60 for identity/control · 2 min 5 s');
  });

  it('finds a snapshot’s newest report and words its face PSNR beside the best baseline', () => {
    const older = report({ createdAt: '2025-01-01T00:00:00.000Z', checkpoint: { snapshot: 'a', step: 1, profile: 'tiny', resolution: 16 } });
    const newer = report({ createdAt: '2025-01-02T00:00:00.000Z', checkpoint: { snapshot: 'a', step: 1, profile: 'tiny', resolution: 16 } });
    const latest = report();
    expect(reportForSnapshot([latest, newer, older], 'a')).toBe(newer);
    expect(reportForSnapshot([latest], 'a')).toBeNull();
    const f = snapshotFigure(newer)!;
    expect(f.text).toBe('face 23.1 dB (best baseline 23.9)');
    expect(f.verdict).toBe('behind');
    expect(f.title).toContain('nearest params');
    expect(f.title).toContain('not comparable: tiny profile at 16 px');
    // The schema refuses non-finite numbers; the helpers still never print one as a figure.
    expect(snapshotFigure({ ...report(), model: fig({ psnrMask: Number.NaN }) })).toBeNull();
  });

  it('formats control and edits', () => {
    expect(controlCells(null)).toBeNull();
    expect(
      controlCells({ frames: 10, lost: 2, poseDegMedian: 1.234, poseDegMean: 2, gazeDegMedian: null, gazeDegMean: null, blinkAccuracy: 0.9, expressionL1: 0.0123, landmarkIod: 0.0456 }),
    ).toEqual({ pose: '1.23°', gaze: '–', blink: '90 %', landmarks: '0.046', expression: '0.012', frames: '8/10' });
    expect(editMeasured({ measuredMedian: 14.2, measuredMin: 12, measuredMax: 15.5 })).toBe('14.20 (12.00..15.50)');
    expect(editMeasured({ measuredMedian: null, measuredMin: null, measuredMax: null })).toBe('not measured');
    // the local textured model's column: absent for a report that predates it
    expect(editDrawingCells([{}, {}])).toBeNull();
    expect(editDrawingCells([{ localTexturedModel: { measuredMedian: 6.5, measuredMin: 4, measuredMax: 7.25, lost: 0 } }, { localTexturedModel: { measuredMedian: null, measuredMin: null, measuredMax: null, lost: 6 } }])).toEqual([
      '6.50 (4.00..7.25)',
      'not measured',
    ]);
  });

  it('keeps the progress bar indeterminate until the first unit is done', () => {
    expect(progressView(null)).toEqual({ variant: 'indeterminate', value: 0, text: 'Starting the evaluation…' });
    expect(progressView({ done: 0, total: 1, stage: 'Loading the checkpoint', etaSec: null })).toEqual({ variant: 'indeterminate', value: 0, text: 'Loading the checkpoint' });
    expect(progressView({ done: 0, total: 8, stage: 'Synthesizing and measuring frames', etaSec: null }).variant).toBe('indeterminate');
    expect(progressView({ done: 2, total: 8, stage: 'Synthesizing and measuring frames', etaSec: 30 })).toEqual({
      variant: 'determinate',
      value: 25,
      text: 'Synthesizing and measuring frames · 2/8 · 30 s left',
    });
  });

  it('re-attaches only to a running evaluation of this project', () => {
    const j = (o: Partial<JobSummary>): JobSummary => ({ jobId: 'x', channel: 'evaluation.start', label: 'Evaluate latest checkpoint', dir: '/p', state: 'running', startedAt: '', finishedAt: null, progress: null, error: null, ...o });
    expect(pickEvaluationJob([j({ jobId: 'a', dir: '/other' }), j({ jobId: 'b', state: 'succeeded' }), j({ jobId: 'c', channel: 'training.start' })], '/p')).toBeNull();
    expect(pickEvaluationJob([j({ jobId: 'a' }), j({ jobId: 'b', dir: '/other' })], '/p')?.jobId).toBe('a');
  });
});
