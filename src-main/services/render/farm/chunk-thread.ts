import { Worker } from 'node:worker_threads';
import { ERROR_CODES, PortraitError, type ErrorCode } from '../../../../src-shared/ipc/errors.js';
import { siblingModule } from '../../workers/sibling-module.js';
import type { ChunkArgs, ChunkResult } from './chunk-task.js';

const ENTRY = new URL('../../workers/entry.mjs', import.meta.url);
const TASK = siblingModule(import.meta.url, 'chunk-task');

interface Pending {
  resolve: (r: ChunkResult) => void;
  reject: (e: unknown) => void;
  onProgress: (done: number, total: number) => void;
}

/**
 * A farm worker's render thread, kept warm across chunks (its generator stays loaded): the BullMQ
 * worker's event loop stays free to renew its lock while frames render. A stopped chunk that does
 * not end within the grace period takes the thread down with it; the next chunk starts a new one.
 */
export class ChunkThread {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();

  constructor(private readonly graceMs = 20_000) {}

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(ENTRY, { workerData: { module: TASK.href, export: 'serveChunks', args: {}, serve: true } });
    const fail = (why: string) => {
      if (this.worker !== w) return;
      this.worker = null;
      for (const p of this.pending.values()) p.reject(new PortraitError('INTERNAL', why));
      this.pending.clear();
    };
    w.on('message', (m: { type: string; id: number; done: number; total: number; value: ChunkResult; error: { code: string; message: string } }) => {
      if (m.type === 'error') {
        fail(`The render thread failed to start: ${m.error.message}`);
        void w.terminate();
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      if (m.type === 'progress') p.onProgress(m.done, m.total);
      else if (m.type === 'result') {
        this.pending.delete(m.id);
        p.resolve(m.value);
      } else if (m.type === 'failed') {
        this.pending.delete(m.id);
        const code = (ERROR_CODES as readonly string[]).includes(m.error.code) ? (m.error.code as ErrorCode) : 'INTERNAL';
        p.reject(new PortraitError(code, m.error.message));
      }
    });
    w.on('error', (e) => fail(`The render thread crashed: ${e.message}`));
    w.on('exit', (code) => fail(`The render thread stopped (code ${code}).`));
    this.worker = w;
    return w;
  }

  run(args: ChunkArgs, signal: AbortSignal, onProgress: (done: number, total: number) => void): Promise<ChunkResult> {
    const id = this.nextId++;
    const w = this.ensure();
    return new Promise<ChunkResult>((resolve, reject) => {
      let timer: NodeJS.Timeout | null = null;
      const onAbort = () => {
        w.postMessage({ type: 'stop', id });
        timer = setTimeout(() => {
          if (!this.pending.has(id)) return;
          this.pending.delete(id);
          reject(new PortraitError('CANCELLED', 'The chunk was cancelled.'));
          if (this.worker === w) this.worker = null;
          void w.terminate();
        }, this.graceMs);
      };
      const done = () => {
        if (timer) clearTimeout(timer);
        signal.removeEventListener('abort', onAbort);
      };
      this.pending.set(id, {
        resolve: (r) => {
          done();
          resolve(r);
        },
        reject: (e) => {
          done();
          reject(e);
        },
        onProgress,
      });
      if (signal.aborted) onAbort();
      else signal.addEventListener('abort', onAbort, { once: true });
      w.postMessage({ type: 'chunk', id, args });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    await w?.terminate();
  }
}
