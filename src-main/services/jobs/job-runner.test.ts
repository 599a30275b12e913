import { describe, expect, it } from 'vitest';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import type { JobFinished, JobProgress } from '../../../src-shared/jobs/schema.js';
import { JobRunner } from './job-runner.js';
import { EtaEstimator } from './eta.js';

const tick = () => new Promise((r) => setTimeout(r, 1));

describe('JobRunner', () => {
  it('streams progress and delivers the result', async () => {
    const runner = new JobRunner({ progressIntervalMs: 0 });
    const progress: JobProgress[] = [];
    const finished: JobFinished[] = [];
    runner.on('progress', (p) => progress.push(p));
    runner.on('finished', (f) => finished.push(f));
    const id = runner.start('test', 'count', async (ctx) => {
      for (let i = 1; i <= 5; i++) {
        await tick();
        ctx.progress(i, 5, 'counting');
      }
      return 42;
    });
    const s = await runner.wait(id);
    expect(s.state).toBe('succeeded');
    expect(progress.map((p) => p.done)).toEqual([1, 2, 3, 4, 5]);
    expect(progress.every((p) => p.jobId === id && p.total === 5 && p.stage === 'counting')).toBe(true);
    expect(finished).toEqual([{ jobId: id, channel: 'test', state: 'succeeded', result: 42 }]);
  });

  it('cancels a running job and reports cancelled, not failed', async () => {
    const runner = new JobRunner();
    let iterations = 0;
    const id = runner.start('test', 'loop', async (ctx) => {
      for (;;) {
        ctx.throwIfCancelled();
        iterations++;
        await tick();
      }
    });
    await tick();
    await tick();
    expect(runner.cancel(id)).toBe(true);
    const s = await runner.wait(id);
    expect(s.state).toBe('cancelled');
    expect(s.error).toBeNull();
    const after = iterations;
    await tick();
    expect(iterations).toBe(after);
    expect(runner.cancel(id)).toBe(false);
  });

  it('turns a thrown error into a typed failure', async () => {
    const runner = new JobRunner();
    const finished: JobFinished[] = [];
    runner.on('finished', (f) => finished.push(f));
    const id = runner.start('test', 'fail', async () => {
      throw new PortraitError('NO_FACE', 'No face in frame 0');
    });
    const s = await runner.wait(id);
    expect(s.state).toBe('failed');
    expect(s.error).toEqual({ code: 'NO_FACE', message: 'No face in frame 0' });
    expect(finished[0]).toMatchObject({ state: 'failed', error: { code: 'NO_FACE' } });
  });

  it('records the project a job works on, and what in it', async () => {
    const runner = new JobRunner();
    const id = runner.start('test', 'x', async () => 1, '/projects/a', 'source');
    await runner.wait(id);
    expect(runner.list().find((j) => j.jobId === id)).toMatchObject({ dir: '/projects/a', subject: 'source' });
  });

  it('refuses to cancel an unknown job', () => {
    expect(() => new JobRunner().cancel('nope')).toThrow(/No job/);
  });

  it('throttles progress events but always sends the last unit', async () => {
    const runner = new JobRunner({ progressIntervalMs: 10_000 });
    const progress: JobProgress[] = [];
    runner.on('progress', (p) => progress.push(p));
    const id = runner.start('test', 'fast', async (ctx) => {
      for (let i = 1; i <= 1000; i++) ctx.progress(i, 1000, 'fast');
    });
    await runner.wait(id);
    expect(progress.length).toBeLessThan(5);
    expect(progress[progress.length - 1]?.done).toBe(1000);
  });

  it('shutdown cancels and awaits every job', async () => {
    const runner = new JobRunner();
    const ids = [0, 1].map(() =>
      runner.start('test', 'loop', async (ctx) => {
        for (;;) {
          ctx.throwIfCancelled();
          await tick();
        }
      }),
    );
    await tick();
    await runner.shutdown();
    expect(ids.map((id) => runner.list().find((j) => j.jobId === id)?.state)).toEqual(['cancelled', 'cancelled']);
  });
});

describe('EtaEstimator', () => {
  it('estimates the remaining time from the observed rate', () => {
    let t = 0;
    const eta = new EtaEstimator(() => t);
    expect(eta.update(0, 100)).toBeNull();
    t = 1000;
    expect(eta.update(10, 100)).toBeCloseTo(9, 5);
    t = 2000;
    expect(eta.update(20, 100)).toBeCloseTo(8, 5);
  });

  it('does not jump with bursty progress: a steady 10 units/s reported in bursts stays within 1.5x of the truth (issue 16, item 12)', () => {
    let t = 0;
    const eta = new EtaEstimator(() => t);
    eta.update(0, 1000);
    const ratios: number[] = [];
    // Bursts: 40 units reported at once every 4 s, with small reports in between.
    for (let s = 1; s <= 80; s++) {
      t = s * 1000;
      const done = Math.floor(s / 4) * 40 + (s % 4 === 0 ? 0 : 1);
      const e = eta.update(done, 1000);
      if (s >= 8 && e !== null) ratios.push(e / ((1000 - done) / 10));
    }
    expect(ratios.length).toBeGreaterThan(60);
    expect(Math.max(...ratios)).toBeLessThan(1.5);
    expect(Math.min(...ratios)).toBeGreaterThan(1 / 1.5);
  });

  it('a new stage (done goes back) starts over; no rate yet means no ETA', () => {
    let t = 0;
    const eta = new EtaEstimator(() => t);
    eta.update(0, 10);
    t = 1000;
    expect(eta.update(5, 10)).toBeCloseTo(1, 5);
    t = 2000;
    expect(eta.update(0, 100)).toBeNull();
    t = 3000;
    expect(eta.update(0, 100)).toBeNull();
    t = 4000;
    expect(eta.update(50, 100)).toBeCloseTo(2, 5); // 50 units in the 2 s since the stage began
  });
});
