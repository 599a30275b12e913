import { Worker } from 'node:worker_threads';
import { PortraitError } from '../../../src-shared/ipc/errors.js';

// Plain JS so the worker runs the same under tsx, vitest and the bundled app. One buffer read
// into again and again: a stream hands out a new 1 MB buffer per chunk, and those waited for a
// GC, so the worker's memory grew with the file (23 MB more for a 28 MB video).
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { createHash } = require('node:crypto');
const { openSync, readSync, closeSync, fstatSync } = require('node:fs');
let fd = -1;
try {
  fd = openSync(workerData.path, 'r');
  const total = fstatSync(fd).size;
  const hash = createHash('sha256');
  const buf = Buffer.allocUnsafe(1 << 20);
  let done = 0, last = 0;
  for (;;) {
    const n = readSync(fd, buf, 0, buf.length, null);
    if (n === 0) break;
    hash.update(n === buf.length ? buf : buf.subarray(0, n));
    done += n;
    const now = Date.now();
    if (now - last > 50) { last = now; parentPort.postMessage({ type: 'progress', done, total }); }
  }
  parentPort.postMessage({ type: 'done', sha256: hash.digest('hex'), size: done });
} catch (e) {
  parentPort.postMessage({ type: 'error', code: e.code, message: e.message });
} finally {
  if (fd >= 0) closeSync(fd);
}
`;

/** SHA-256 of a file in a worker thread, so hashing a multi-GB video never blocks main. */
export function hashFile(
  path: string,
  opts: { signal?: AbortSignal; onProgress?: (done: number, total: number) => void } = {},
): Promise<{ sha256: string; size: number }> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(WORKER_SOURCE, { eval: true, workerData: { path } });
    const abort = () => {
      void worker.terminate();
      reject(new PortraitError('CANCELLED', 'Hashing was cancelled'));
    };
    if (opts.signal?.aborted) return abort();
    opts.signal?.addEventListener('abort', abort, { once: true });
    const finish = () => opts.signal?.removeEventListener('abort', abort);
    worker.on('message', (m: { type: string; done: number; total: number; sha256: string; size: number; code?: string; message?: string }) => {
      if (m.type === 'progress') opts.onProgress?.(m.done, m.total);
      else if (m.type === 'done') {
        finish();
        void worker.terminate();
        resolve({ sha256: m.sha256, size: m.size });
      } else if (m.type === 'error') {
        finish();
        void worker.terminate();
        reject(Object.assign(new Error(m.message), { code: m.code, path }));
      }
    });
    worker.on('error', (e) => {
      finish();
      reject(e);
    });
  });
}
