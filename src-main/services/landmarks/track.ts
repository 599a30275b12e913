import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import { videoHeader } from '../video/decode.js';
import type { ChunkJob, FromWorker, ToWorker } from './protocol.js';
import type { TrackedFrame } from './types.js';

export interface TrackProgress {
  done: number;
  /** Estimated from duration x rate; the real count may differ by a frame or two. */
  total: number;
  /** Mean per-frame times measured inside the workers. */
  decodeMs: number;
  detectMs: number;
  /** Frames delivered per second of wall time so far. */
  fps: number;
}

export interface TrackOptions {
  range?: { start: number; count?: number };
  /** Worker threads; default one per core (at most 4). */
  workers?: number;
  signal?: AbortSignal;
  onProgress?: (p: TrackProgress) => void;
  /** Frames handed to a worker at a time (each chunk costs one seek + one full detection). */
  chunkFrames?: number;
  /**
   * Track on a decode downscaled to this height (default 360; 0 = full size). Landmarks
   * still come back in full-frame pixels. The mesh sees a 192 px face crop, so a 720p
   * portrait loses ~1.2 px (0.4% of face width) at 360 while tracking twice as fast.
   */
  maxHeight?: number;
  /** Detector runs every this many frames; the mesh tracks the previous box in between. */
  skipFrames?: number;
  /** Constant rate to normalise to (default the video's average rate). */
  fps?: number;
  /**
   * Cut chunks on a grid of the whole video (their size chosen from its length, their starts
   * multiples of it) whatever range.start is: a run resumed at any frame then detects exactly as
   * the uninterrupted run did, because detection restarts at chunk starts. The frames of the
   * first chunk before range.start are tracked and dropped. For resumable whole-video tracking.
   */
  chunkGrid?: boolean;
  /** Worker entry; the default loads the TypeScript source through tsx. */
  workerUrl?: URL;
}

const DEFAULT_TRACK_HEIGHT = 360;
const DEFAULT_WORKER = new URL('./worker.mjs', import.meta.url);

interface Chunk {
  job: ChunkJob;
  results: Map<number, TrackedFrame>;
  received: number;
  done: boolean;
  error: PortraitError | null;
}

/**
 * Tracks face landmarks over a video, yielding frames in order. The range is cut into
 * chunks handed to a pool of workers; each worker decodes its chunk with its own ffmpeg
 * (frame-accurate seek) and tracks it, so decode and detection run in parallel.
 * At most `workers + 2` chunks are in flight, which bounds memory when the consumer is slow.
 */
export async function* trackLandmarks(videoPath: string, opts: TrackOptions = {}): AsyncGenerator<TrackedFrame> {
  const { signal } = opts;
  if (signal?.aborted) throw new PortraitError('CANCELLED', 'Cancelled');
  const header = await videoHeader(videoPath, signal);
  const fps = opts.fps ?? header.fps;
  const swap = header.rotation === 90 || header.rotation === 270;
  const displayWidth = swap ? header.codedHeight : header.codedWidth;
  const displayHeight = swap ? header.codedWidth : header.codedHeight;
  const estimated = Math.max(1, Math.round(header.durationSec * fps));
  const start = opts.range?.start ?? 0;
  const total = opts.range?.count ?? Math.max(0, estimated - start);
  if (total === 0) return;

  const maxHeight = opts.maxHeight ?? DEFAULT_TRACK_HEIGHT;
  const nWorkers = Math.max(1, Math.min(opts.workers ?? Math.min(4, availableParallelism()), 16));
  const grid = opts.chunkGrid === true && opts.range?.count === undefined;
  const sized = grid ? estimated : total;
  const chunkFrames = Math.max(1, opts.chunkFrames ?? Math.min(600, Math.max(120, Math.ceil(sized / (nWorkers * 4)))));
  const first = grid ? Math.floor(start / chunkFrames) * chunkFrames : start;
  const chunks: Chunk[] = [];
  for (let s = first, id = 0; s < start + total; s += chunkFrames, id++) {
    const last = s + chunkFrames >= start + total;
    const count = last && opts.range?.count === undefined ? undefined : Math.min(chunkFrames, start + total - s);
    const job: ChunkJob = { id, path: videoPath, start: s, count, fps: opts.fps, maxHeight: maxHeight || undefined, displayWidth, displayHeight };
    chunks.push({ job, results: new Map(), received: 0, done: false, error: null });
  }

  let wake: (() => void) | null = null;
  const notify = () => {
    const w = wake;
    wake = null;
    w?.();
  };
  let fatal: PortraitError | null = null;
  let nextChunk = 0;
  let yieldedChunk = 0;
  const idle: Worker[] = [];
  let decodeSum = 0, detectSum = 0, measured = 0;

  const dispatch = () => {
    while (idle.length > 0 && nextChunk < chunks.length && nextChunk - yieldedChunk < nWorkers + 2) {
      const w = idle.pop()!;
      const c = chunks[nextChunk++]!;
      (w as Worker & { chunk?: number }).chunk = c.job.id;
      w.postMessage({ type: 'chunk', job: c.job } satisfies ToWorker);
    }
  };

  const workers: Worker[] = [];
  const onMessage = (w: Worker) => (msg: FromWorker) => {
    switch (msg.type) {
      case 'ready':
        idle.push(w);
        dispatch();
        break;
      case 'frame': {
        const c = chunks[msg.chunk]!;
        c.results.set(msg.frame, { frame: msg.frame, landmarks: msg.landmarks });
        c.received++;
        decodeSum += msg.decodeMs;
        detectSum += msg.detectMs;
        measured++;
        break;
      }
      case 'chunkDone':
      case 'chunkError': {
        const c = chunks[msg.chunk]!;
        c.done = true;
        if (msg.type === 'chunkError') c.error = new PortraitError(msg.error.code, msg.error.message, msg.error.details);
        idle.push(w);
        dispatch();
        break;
      }
      case 'fatal':
        fatal = new PortraitError(msg.error.code, `Landmark worker failed to start: ${msg.error.message}`);
        break;
      case 'cancelled':
        break;
    }
    notify();
  };

  for (let i = 0; i < nWorkers; i++) {
    const w = new Worker(opts.workerUrl ?? DEFAULT_WORKER);
    w.on('message', onMessage(w));
    w.on('error', (e) => {
      fatal = new PortraitError('INTERNAL', `Landmark worker crashed: ${e.message}`);
      notify();
    });
    w.postMessage({ type: 'init', options: { skipFrames: opts.skipFrames ?? 10, maxFaces: 2 } } satisfies ToWorker);
    workers.push(w);
  }
  const onAbort = () => notify();
  signal?.addEventListener('abort', onAbort, { once: true });

  const t0 = performance.now();
  let done = 0;
  let dropped = 0;
  try {
    while (yieldedChunk < chunks.length) {
      const c = chunks[yieldedChunk]!;
      const frame = first + dropped + done;
      const r = c.results.get(frame);
      if (r) {
        c.results.delete(frame);
        if (frame < start) {
          dropped++;
          continue;
        }
        done++;
        yield r;
        if (opts.onProgress) {
          const n = Math.max(1, measured);
          opts.onProgress({ done, total, decodeMs: decodeSum / n, detectMs: detectSum / n, fps: (done * 1000) / (performance.now() - t0) });
        }
        continue;
      }
      if (signal?.aborted) throw new PortraitError('CANCELLED', 'Cancelled');
      if (fatal) throw fatal;
      if (c.done && c.results.size === 0) {
        if (c.error) throw c.error;
        // A chunk that came back short is the real end of the video.
        const short = c.job.count === undefined || c.received < c.job.count;
        yieldedChunk++;
        if (short) break;
        dispatch();
        continue;
      }
      await new Promise<void>((resolve) => (wake = resolve));
    }
  } finally {
    signal?.removeEventListener('abort', onAbort);
    await Promise.all(workers.map((w) => stopWorker(w)));
  }
}

/**
 * Asks the worker to kill and reap its ffmpeg, then ends the thread. The grace covers the frame
 * being detected when the cancel came (a fraction of a second; more on a loaded machine); past
 * it the thread is ended anyway (never a hang).
 */
function stopWorker(w: Worker): Promise<void> {
  return new Promise((resolve) => {
    const finish = () => {
      clearTimeout(timer);
      void w.terminate().then(() => resolve(), () => resolve());
    };
    const timer = setTimeout(finish, 5000);
    const onMsg = (m: FromWorker) => {
      if (m.type !== 'cancelled') return;
      w.off('message', onMsg);
      finish();
    };
    w.on('message', onMsg);
    w.once('exit', () => { clearTimeout(timer); resolve(); });
    w.postMessage({ type: 'cancel' } satisfies ToWorker);
  });
}
