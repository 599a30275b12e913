import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TrainingMetrics } from '../../../src-shared/ipc/contract.js';
import { HISTORY_VIEW_POINTS, HISTORY_VIEW_TAIL, HistoryWriter, forEachPoint, historyPaths, lastPointsUpTo, readHistoryView } from './history-file.js';
import { trainingStatus } from './training-service.js';
import { trainingPaths } from './training-files.js';

const point = (step: number, validation = false): TrainingMetrics => ({
  step,
  lossG: 1 / step,
  lossD: 0.5,
  lossL1: 2 / step,
  stepsPerSec: 3,
  ...(validation ? { psnr: 20 + step / 1000, ssim: 0.5, valL1: 0.1 } : {}),
});

async function all(root: string): Promise<TrainingMetrics[]> {
  const out: TrainingMetrics[] = [];
  await forEachPoint(root, (m) => out.push(m));
  return out;
}

let root: string;
beforeEach(async () => {
  root = await fs.mkdtemp(join(tmpdir(), 'history-'));
});
afterEach(async () => {
  await fs.rm(root, { recursive: true, force: true });
});

describe('loss history on disk (append per step, thinned views)', () => {
  it('appends one line per step and, on resume, keeps exactly the steps up to the checkpoint', async () => {
    const w = await HistoryWriter.open(root, null);
    for (let s = 1; s <= 50; s++) w.append(point(s, s % 10 === 0));
    w.sync();
    w.close();
    expect((await all(root)).map((m) => m.step)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    // A kill after step 50 with the last checkpoint at 40: the resumed run continues from 41.
    const r = await HistoryWriter.open(root, 40);
    r.append(point(41));
    r.close();
    expect((await all(root)).map((m) => m.step)).toEqual(Array.from({ length: 41 }, (_, i) => i + 1));
    expect((await all(root))[39]).toEqual(point(40, true));
  });

  it('a fresh run forgets the old history, the legacy file included', async () => {
    const w = await HistoryWriter.open(root, null);
    w.append(point(1));
    w.close();
    await fs.writeFile(historyPaths(root).legacy, JSON.stringify([point(1), point(2)]));
    (await HistoryWriter.open(root, null)).close();
    expect(await all(root)).toEqual([]);
  });

  it('drops a torn last line (a kill mid-write) so the next step starts a line of its own', async () => {
    await fs.writeFile(historyPaths(root).log, `${JSON.stringify(point(1))}\n${JSON.stringify(point(2))}\n{"step":3,"lossG":0.`);
    expect((await all(root)).map((m) => m.step)).toEqual([1, 2]);
    const w = await HistoryWriter.open(root, 10);
    w.append(point(3));
    w.close();
    expect((await all(root)).map((m) => m.step)).toEqual([1, 2, 3]);
    expect(w.unreadable).toBe(0);
  });

  it('skips a damaged line in the middle (counted) and keeps the points around it', async () => {
    await fs.writeFile(historyPaths(root).log, `${JSON.stringify(point(1))}\n\u0000\u0000garbage\n${JSON.stringify(point(2))}\n`);
    expect((await all(root)).map((m) => m.step)).toEqual([1, 2]);
    const w = await HistoryWriter.open(root, 2);
    expect(w.unreadable).toBe(1);
    w.append(point(3));
    w.close();
    expect((await all(root)).map((m) => m.step)).toEqual([1, 2, 3]);
  });

  it('reads the history.json of an existing project, and converts it when a run resumes', async () => {
    const old = Array.from({ length: 30 }, (_, i) => point(i + 1, (i + 1) % 10 === 0));
    await fs.writeFile(historyPaths(root).legacy, JSON.stringify(old));
    expect(await all(root)).toEqual(old);
    expect(await readHistoryView(root, { upTo: 25 })).toEqual(old.slice(0, 25));
    expect(await lastPointsUpTo(root, 25)).toEqual({ last: old[24], lastValidation: old[19] });
    const w = await HistoryWriter.open(root, 20);
    w.append(point(21));
    w.close();
    expect(await all(root)).toEqual([...old.slice(0, 20), point(21)]);
    await expect(fs.access(historyPaths(root).legacy)).rejects.toThrow();
  });

  it('the view of a long run is bounded: an even spread of losses and of validations, and the latest point', async () => {
    const steps = 40_000;
    const w = await HistoryWriter.open(root, null);
    for (let s = 1; s <= steps; s++) w.append(point(s, s % 50 === 0));
    w.close();
    const v = await readHistoryView(root);
    expect(v.length).toBeLessThanOrEqual(2 * HISTORY_VIEW_POINTS + HISTORY_VIEW_TAIL);
    expect(v.length).toBeGreaterThan(HISTORY_VIEW_POINTS / 2);
    expect(v.at(-1)).toEqual(point(steps, true));
    // The recent steps whole: the dashboard draws the current stretch in detail and joins live points onto it.
    expect(v.slice(-HISTORY_VIEW_TAIL).map((m) => m.step)).toEqual(Array.from({ length: HISTORY_VIEW_TAIL }, (_, i) => steps - HISTORY_VIEW_TAIL + 1 + i));
    expect(v.map((m) => m.step)).toEqual([...v.map((m) => m.step)].sort((a, b) => a - b));
    // Even: no stretch of the run is left out more than twice the mean spacing.
    const lossSteps = v.map((m) => m.step);
    const gaps = lossSteps.slice(1).map((s, i) => s - lossSteps[i]!);
    expect(Math.max(...gaps)).toBeLessThanOrEqual((2 * steps) / HISTORY_VIEW_POINTS);
    const vals = v.filter((m) => m.psnr !== undefined).map((m) => m.step);
    expect(vals.length).toBeGreaterThan(HISTORY_VIEW_POINTS / 2);
    expect(vals[0]).toBe(50);
    expect(steps - vals.at(-1)!).toBeLessThanOrEqual((2 * steps) / HISTORY_VIEW_POINTS);
    // A short run is shown whole.
    expect(await readHistoryView(root, { upTo: 200 })).toEqual(Array.from({ length: 200 }, (_, i) => point(i + 1, (i + 1) % 50 === 0)));
  });

  it('training.status replies with a bounded history for a long run, up to the last checkpoint while idle', async () => {
    const dir = root;
    const paths = trainingPaths(dir);
    await fs.mkdir(paths.root, { recursive: true });
    const w = await HistoryWriter.open(paths.root, null);
    for (let s = 1; s <= 30_000; s++) w.append(point(s, s % 250 === 0));
    w.close();
    await fs.writeFile(paths.checkpoint(29_000), 'not read by status');
    const idle = await trainingStatus(dir, false);
    expect(idle.lastStep).toBe(29_000);
    expect(idle.history.length).toBeLessThanOrEqual(2 * HISTORY_VIEW_POINTS + HISTORY_VIEW_TAIL);
    expect(idle.history.at(-1)!.step).toBe(29_000);
    const running = await trainingStatus(dir, true);
    expect(running.history.length).toBeLessThanOrEqual(2 * HISTORY_VIEW_POINTS + HISTORY_VIEW_TAIL);
    expect(running.history.at(-1)!.step).toBe(30_000);
  });
});
