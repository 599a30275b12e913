import { Worker } from 'node:worker_threads';
import { PortraitError, toErrorShape, ERROR_CODES, type ErrorCode } from '../../../src-shared/ipc/errors.js';

const ENTRY = new URL('./entry.mjs', import.meta.url);

/** What a worker task receives besides its arguments. */
export interface WorkerTaskContext {
  signal: AbortSignal;
  progress(done: number, total: number, stage: string, metrics?: Record<string, number>): void;
}

export interface RunInWorkerOptions {
  signal?: AbortSignal;
  onProgress?: (done: number, total: number, stage: string, metrics?: Record<string, number>) => void;
  /** After a cancel, how long the task gets to checkpoint before the thread is terminated. */
  cancelGraceMs?: number;
  resourceLimits?: { maxOldGenerationSizeMb?: number };
}

/**
 * Runs `export` of a TypeScript module in a worker thread, so heavy compute (fitting,
 * training, rendering) never blocks the main process event loop. Cancel is cooperative
 * first (the task sees its signal and can checkpoint), then forced.
 */
export function runInWorker<A, R>(moduleUrl: URL, exportName: string, args: A, opts: RunInWorkerOptions = {}): Promise<R> {
  return new Promise<R>((resolve, reject) => {
    const worker = new Worker(ENTRY, {
      workerData: { module: moduleUrl.href, export: exportName, args },
      ...(opts.resourceLimits ? { resourceLimits: opts.resourceLimits } : {}),
    });
    let settled = false;
    let killTimer: NodeJS.Timeout | null = null;
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      if (killTimer) clearTimeout(killTimer);
      opts.signal?.removeEventListener('abort', onAbort);
      fn();
      void worker.terminate();
    };
    const onAbort = () => {
      worker.postMessage({ type: 'cancel' });
      killTimer = setTimeout(() => settle(() => reject(new PortraitError('CANCELLED', 'The job was cancelled'))), opts.cancelGraceMs ?? 30_000);
    };
    if (opts.signal?.aborted) onAbort();
    else opts.signal?.addEventListener('abort', onAbort, { once: true });
    worker.on('message', (m: { type: string; done: number; total: number; stage: string; metrics?: Record<string, number>; value: R; error: { code: string; message: string; errno?: number } }) => {
      if (m.type === 'progress') opts.onProgress?.(m.done, m.total, m.stage, m.metrics);
      else if (m.type === 'result') settle(() => resolve(m.value));
      else if (m.type === 'error') {
        const code = (ERROR_CODES as readonly string[]).includes(m.error.code)
          ? (m.error.code as ErrorCode)
          : null;
        const err = code
          ? new PortraitError(code, m.error.message)
          : (() => {
              const shape = toErrorShape(Object.assign(new Error(m.error.message), { code: m.error.code }));
              return new PortraitError(shape.code, shape.code === 'INTERNAL' ? m.error.message : shape.message);
            })();
        settle(() => reject(err));
      }
    });
    worker.on('error', (e) => settle(() => reject(new PortraitError('INTERNAL', `Worker crashed: ${e.message}`))));
    worker.on('exit', (code) => {
      if (!settled) settle(() => reject(new PortraitError('INTERNAL', `Worker exited unexpectedly (code ${code}); the last checkpoint is kept.`)));
    });
  });
}
