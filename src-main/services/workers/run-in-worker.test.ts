import { describe, expect, it } from 'vitest';
import { runInWorker } from './run-in-worker.js';

const TASK = new URL('./fixtures/sample-task.ts', import.meta.url);

describe('runInWorker', () => {
  it('runs a TypeScript task in a thread with progress', async () => {
    const seen: number[] = [];
    const r = await runInWorker<{ n: number }, { sum: number }>(TASK, 'count', { n: 10 }, { onProgress: (d) => seen.push(d) });
    expect(r.sum).toBe(55);
    expect(seen[seen.length - 1]).toBe(10);
  });
  it('carries typed errors across the thread boundary', async () => {
    await expect(runInWorker(TASK, 'count', { n: 3, fail: true })).rejects.toMatchObject({ code: 'NO_FACE', message: 'no face in frame 3' });
  });
  it('cancels cooperatively and lets the task return its partial result', async () => {
    const ac = new AbortController();
    const p = runInWorker<{ n: number }, { sum: number; cancelled: boolean }>(TASK, 'count', { n: 100_000 }, {
      signal: ac.signal,
      onProgress: (d) => d === 20 && ac.abort(),
    });
    const r = await p;
    expect(r.cancelled).toBe(true);
    expect(r.sum).toBeGreaterThan(0);
  });
  it('a loop that never awaits still sees the cancel at its next progress report, well before the grace kill', async () => {
    const ac = new AbortController();
    let cancelledAt = -1;
    const r = await runInWorker<{ msPerStep: number; maxSteps: number }, { steps: number; cancelled: boolean }>(TASK, 'spin', { msPerStep: 2, maxSteps: 20_000 }, {
      signal: ac.signal,
      // The grace is never reached: if the cancel were only seen on an await, this would reject.
      cancelGraceMs: 600_000,
      onProgress: (d) => {
        if (d === 50 && cancelledAt < 0) {
          cancelledAt = d;
          ac.abort();
        }
      },
    });
    expect(r.cancelled).toBe(true);
    expect(r.steps).toBeGreaterThanOrEqual(50);
    expect(r.steps).toBeLessThan(20_000);
  });
});
