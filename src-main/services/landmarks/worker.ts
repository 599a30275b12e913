import { parentPort } from 'node:worker_threads';
import { toErrorShape } from '../../../src-shared/ipc/errors.js';
import { decodeFrames } from '../video/decode.js';
import { LandmarkDetector } from './detector.js';
import type { ChunkJob, FromWorker, ToWorker } from './protocol.js';
import type { FaceLandmarks } from './types.js';

/**
 * One tracking worker: its own Human (tfjs state is per thread) and its own ffmpeg per
 * chunk, so frames never cross threads; only landmarks (6 KB a frame) travel back.
 */
const port = parentPort!;
let detector: LandmarkDetector | null = null;
let abort: AbortController | null = null;

function send(msg: FromWorker, transfer: ArrayBuffer[] = []): void {
  port.postMessage(msg, transfer);
}

function rescale(lm: FaceLandmarks, sx: number, sy: number): void {
  if (sx === 1 && sy === 1) return;
  const p = lm.points;
  for (let i = 0; i < p.length; i += 3) {
    p[i] = p[i]! * sx;
    p[i + 1] = p[i + 1]! * sy;
    // z shares x's scale in human's mesh.
    p[i + 2] = p[i + 2]! * sx;
  }
  lm.box = { x: lm.box.x * sx, y: lm.box.y * sy, width: lm.box.width * sx, height: lm.box.height * sy };
}

/** The chunk being decoded and detected, if any (a cancel waits for it to let go of ffmpeg). */
let running: Promise<void> | null = null;

async function runChunk(job: ChunkJob): Promise<void> {
  const det = detector!;
  abort = new AbortController();
  det.restart();
  let frames = 0;
  try {
    const it = decodeFrames(job.path, {
      start: job.start,
      count: job.count,
      fps: job.fps,
      maxWidth: job.maxWidth,
      maxHeight: job.maxHeight,
      signal: abort.signal,
    });
    let t0 = performance.now();
    for await (const f of it) {
      const t1 = performance.now();
      const lm = await det.detect(f.data, f.width, f.height);
      const t2 = performance.now();
      if (lm) rescale(lm, job.displayWidth / f.width, job.displayHeight / f.height);
      frames++;
      send(
        { type: 'frame', chunk: job.id, frame: f.index, landmarks: lm, decodeMs: t1 - t0, detectMs: t2 - t1 },
        lm ? [lm.points.buffer as ArrayBuffer] : [],
      );
      t0 = performance.now();
    }
    send({ type: 'chunkDone', chunk: job.id, frames });
  } catch (e) {
    if (abort.signal.aborted) return;
    send({ type: 'chunkError', chunk: job.id, frames, error: toErrorShape(e) });
  } finally {
    abort = null;
  }
}

port.on('message', (msg: ToWorker) => {
  if (msg.type === 'init') {
    LandmarkDetector.create(msg.options).then(
      (d) => {
        detector = d;
        send({ type: 'ready' });
      },
      (e: unknown) => send({ type: 'fatal', error: toErrorShape(e) }),
    );
  } else if (msg.type === 'chunk') {
    running = runChunk(msg.job);
  } else if (msg.type === 'cancel') {
    // Kill this worker's ffmpeg and wait until it is reaped before the thread goes: a child
    // process outlives a thread, and one killed but not waited for stays a zombie.
    abort?.abort();
    void (running ?? Promise.resolve()).finally(() => send({ type: 'cancelled' }));
  }
});
