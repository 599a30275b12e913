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
});
