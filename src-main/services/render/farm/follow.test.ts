import { EventEmitter } from 'node:events';
import { describe, expect, it } from 'vitest';
import type { ChunkJob, ChunkResult } from './chunk-task.js';
import { followChunks, type ChunkQueue } from './follow.js';
import { encodeFailure } from './queue.js';

/**
 * One chunk in a fake queue whose every read (of the state or of the job) is a moment: the
 * chunk finishes at read `finishAt`, so it may finish between the two reads of one look, as a
 * real worker may (the farm test once failed on exactly that).
 */
function fakeQueue(finishAt: number, end: { state: 'completed' | 'failed'; result?: ChunkResult; reason?: string }) {
  let reads = 0;
  const finished = () => reads >= finishAt;
  const queue = {
    async getJobState() {
      reads++;
      return finished() ? end.state : 'active';
    },
    async getJob() {
      reads++;
      const over = finished();
      return {
        returnvalue: over && end.state === 'completed' ? end.result! : null,
        failedReason: over ? end.reason : undefined,
        attemptsMade: over ? 3 : 0,
        progress: { done: over ? 0 : 2 },
      };
    },
    async getWorkersCount() {
      return 1;
    },
  };
  return queue as unknown as ChunkQueue;
}

const job: ChunkJob = { renderId: 'r', index: 0, start: 0, count: 4, offset: 0, last: true, dir: '/p', segDir: '/p/s', segment: 's0', checkpoint: 'c', edits: [], codec: 'png', heartbeat: true } as unknown as ChunkJob;
const result: ChunkResult = { frames: 4, width: 64, height: 64, fps: 25, checkpointStep: 10 };

function ctx(signal = new AbortController().signal) {
  const stages: string[] = [];
  return { stages, ctx: { signal, progress: (_d: number, _t: number, stage: string) => void stages.push(stage) } };
}

describe('following the farm chunks', () => {
  it('takes a chunk that finishes at any moment of a look, between its two reads included, with its result', async () => {
    for (let finishAt = 1; finishAt <= 6; finishAt++) {
      const { ctx: c } = ctx();
      const r = await followChunks(fakeQueue(finishAt, { state: 'completed', result }), new EventEmitter(), ['c0'], [job], 4, c, () => null, 1);
      expect(r, `finishing at read ${finishAt}`).toEqual([result]);
    }
  });

  it('a chunk that failed for good rejects with its code and message', async () => {
    const { ctx: c } = ctx();
    const p = followChunks(fakeQueue(3, { state: 'failed', reason: encodeFailure('PROJECT_NOT_FOUND', 'The project folder /p is not there on this worker.') }), new EventEmitter(), ['c0'], [job], 4, c, () => null, 1);
    await expect(p).rejects.toMatchObject({ code: 'PROJECT_NOT_FOUND', message: 'Chunk 0 (frames 0..3) failed after 3 attempts: The project folder /p is not there on this worker.' });
  });

  it('a chunk gone from the queue stops the render with a message that says why it may have gone', async () => {
    const queue = { getJobState: async () => 'unknown', getJob: async () => undefined, getWorkersCount: async () => 0 } as unknown as ChunkQueue;
    const { ctx: c } = ctx();
    await expect(followChunks(queue, new EventEmitter(), ['c0'], [job], 4, c, () => null, 1)).rejects.toThrow(/disappeared from the farm's queue .*heartbeat/);
  });

  it('a Redis failure reports the connection error, and a cancel rejects as cancelled', async () => {
    const broken = { getJobState: async () => Promise.reject(new Error('Connection is closed.')), getJob: async () => undefined, getWorkersCount: async () => 0 } as unknown as ChunkQueue;
    const { ctx: c } = ctx();
    await expect(followChunks(broken, new EventEmitter(), ['c0'], [job], 4, c, () => new Error('connect ECONNREFUSED'), 1)).rejects.toThrow('Lost the render farm while waiting for chunks (connect ECONNREFUSED)');

    const abort = new AbortController();
    const { ctx: c2 } = ctx(abort.signal);
    const p = followChunks(fakeQueue(Number.MAX_SAFE_INTEGER, { state: 'completed', result }), new EventEmitter(), ['c0'], [job], 4, c2, () => null, 1);
    abort.abort();
    await expect(p).rejects.toMatchObject({ code: 'CANCELLED' });
  });
});
