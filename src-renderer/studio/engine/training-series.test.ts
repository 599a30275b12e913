import { describe, expect, it } from 'vitest';
import type { JobSummary } from '../../../src-shared/jobs/schema.js';
import { chartRows, fmtDuration, livePastHistory, mergeSeries, metricsFromProgress, missingSpans, pickTrainingJob, thin, trainingEta, stepsField, validationPoints } from './training-series.js';

const m = (step: number, extra: object = {}) => ({ step, lossG: 1, lossD: 1, lossL1: step, stepsPerSec: 2, ...extra });

describe('training series', () => {
  it('keeps the saved history and appends live points past its end (live events may skip steps)', () => {
    const history = [m(1), m(2), m(3), m(4)];
    const live = [m(1, { lossL1: 99 }), m(3, { lossL1: 99 }), m(5), m(7)];
    const s = mergeSeries(history, live);
    expect(s.map((x) => x.step)).toEqual([1, 2, 3, 4, 5, 7]);
    expect(s[2]!.lossL1).toBe(3);
    expect(mergeSeries(history, []).length).toBe(4);
    expect(mergeSeries([], live).length).toBe(4);
  });

  it('reads metrics from a training progress event and ignores loading stages', () => {
    expect(metricsFromProgress({ metrics: undefined })).toBeNull();
    expect(metricsFromProgress({ metrics: { step: 4, lossG: 1, lossD: 2, lossL1: 0.3, stepsPerSec: 5, psnr: 20 } })).toEqual({
      step: 4, lossG: 1, lossD: 2, lossL1: 0.3, stepsPerSec: 5, psnr: 20,
    });
    expect(validationPoints([m(1), m(2, { psnr: 20 })]).map((x) => x.step)).toEqual([2]);
  });

  it('thins long series evenly and keeps the last point', () => {
    const xs = Array.from({ length: 1000 }, (_, i) => i);
    const t = thin(xs, 100);
    expect(t.length).toBe(100);
    expect(t[0]).toBe(0);
    expect(t.at(-1)).toBe(999);
    expect(thin([1, 2], 100)).toEqual([1, 2]);
  });

  it('picks the running training job (closest step when several projects train)', () => {
    const job = (id: string, done: number, channel = 'training.start', state: JobSummary['state'] = 'running'): JobSummary => ({
      jobId: id, channel, label: id, state, startedAt: '', finishedAt: null, error: null,
      progress: { jobId: id, channel, done, total: 100, etaSec: null, stage: 'Training' },
    });
    expect(pickTrainingJob([job('t', 1, 'tracking.start')], null)).toBeNull();
    expect(pickTrainingJob([job('a', 5), job('b', 50, 'training.start', 'succeeded')], 3)!.jobId).toBe('a');
    expect(pickTrainingJob([job('a', 5), job('b', 50)], 48)!.jobId).toBe('b');
  });

  it('estimates time left', () => {
    expect(trainingEta(null, 2)).toBeNull();
    expect(trainingEta({ done: 10, total: 110, etaSec: null }, 2)).toBe(50);
    expect(trainingEta({ done: 10, total: 110, etaSec: 7 }, 2)).toBe(7);
    expect(fmtDuration(50)).toBe('50 s');
    expect(fmtDuration(3720)).toBe('1 h 2 min');
    expect(fmtDuration(null)).toBe('—');
  });
});

describe('stepsField (issue 16, item 7)', () => {
  it('never defaults below the steps already trained, and says when resuming would train nothing', () => {
    expect(stepsField('', { runningTotal: null, profileDefault: 20_000, lastStep: null })).toMatchObject({ value: 20_000, valid: true, resumable: true });
    const over = stepsField('', { runningTotal: null, profileDefault: 20_000, lastStep: 25_000 });
    expect(over).toMatchObject({ value: 25_000, valid: true, resumable: false, help: expect.stringContaining('Already trained to step 25000') });
    expect(stepsField('30000', { runningTotal: null, profileDefault: 20_000, lastStep: 25_000 })).toMatchObject({ value: 30_000, resumable: true });
    expect(stepsField('', { runningTotal: 40_000, profileDefault: 20_000, lastStep: 25_000 }).value).toBe(40_000);
    expect(stepsField('abc', { runningTotal: null, profileDefault: 400, lastStep: null })).toMatchObject({ valid: false, resumable: false, help: 'A whole number of steps above 0.' });
    expect(stepsField('100', { runningTotal: null, profileDefault: 400, lastStep: 300 })).toMatchObject({ valid: true, resumable: false }); // enough to restart from scratch
  });
});

describe('missing steps in the charts (issue 16, item 7)', () => {
  const m = (step: number) => ({ step, lossG: 1, lossD: 1, lossL1: 1, stepsPerSec: 1 });
  const range = (a: number, b: number, by = 1) => Array.from({ length: Math.floor((b - a) / by) + 1 }, (_, i) => m(a + i * by));

  it('a thinned saved history (the host sends an even spread, then its recent steps whole) is no gap', () => {
    // As training.status sends a long run: every 100th step to 20,000, then 20,001..20,100 whole.
    const history = [...Array.from({ length: 200 }, (_, i) => m(i * 100 + 1)), ...Array.from({ length: 100 }, (_, i) => m(20_001 + i))];
    const live = [m(20_104), m(20_108), m(20_112)];
    expect(missingSpans(history, live)).toEqual([]);
    const rows = chartRows(mergeSeries(history, live), missingSpans(history, live), 400);
    expect(rows.every((r) => r.lossL1 !== undefined)).toBe(true);
    expect(rows.at(-1)!.step).toBe(20_112);
  });

  it('drops the live points a status reply covers (the live list stays short in a long run)', () => {
    const live = [m(98), m(102), m(106)];
    expect(livePastHistory([m(1), m(100)], live).map((x) => x.step)).toEqual([102, 106]);
    expect(livePastHistory([m(1), m(90)], live)).toBe(live);
    expect(livePastHistory([], live)).toBe(live);
  });

  it('finds the span between the saved history and a re-attached live run, not the live stride', () => {
    const history = range(0, 400);
    const live = range(900, 1000, 8); // coalesced progress, 8 steps apart
    expect(missingSpans(history, live)).toEqual([{ after: 400, before: 900 }]);
    // A live run followed from its start has no gap.
    expect(missingSpans(history, range(408, 600, 8))).toEqual([]);
    expect(missingSpans([], range(0, 600, 8))).toEqual([]);
  });

  it('a wide live stride (a fast GPU run) is not mistaken for gaps', () => {
    expect(missingSpans(range(0, 100), range(140, 2000, 40))).toEqual([]);
  });

  it('chart rows carry an empty row inside each missing span, so the line breaks there', () => {
    const history = range(0, 400);
    const live = range(900, 1000, 8);
    const series = mergeSeries(history, live);
    const rows = chartRows(series, missingSpans(history, live), 400);
    const gap = rows.find((r) => r.lossG === undefined);
    expect(gap?.step).toBe(650);
    const i = rows.indexOf(gap!);
    expect(rows[i - 1]!.step).toBeLessThanOrEqual(400);
    expect(rows[i + 1]!.step).toBeGreaterThanOrEqual(900);
    expect(chartRows(series, [], 400).every((r) => r.lossG !== undefined)).toBe(true);
  });
});
