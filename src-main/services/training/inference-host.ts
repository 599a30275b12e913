import { Worker } from 'node:worker_threads';
import { PortraitError, type PortraitErrorShape } from '../../../src-shared/ipc/errors.js';
import type { CropBox } from '../../../src-shared/conditioning/index.js';

const ENTRY = new URL('../workers/entry.mjs', import.meta.url);
import { siblingModule } from '../workers/sibling-module.js';
const TASK = siblingModule(import.meta.url, 'infer-task');

export interface InferenceReply {
  size: number;
  step: number;
  crops: CropBox[];
  images: Uint8Array[];
}

/**
 * Main-side handle of the warm inference worker. One worker thread answers requests in
 * arrival order (its generator pass is synchronous, so they never overlap); every request
 * is computed, none is dropped or superseded, so a fast scrub queues one pass per position.
 */
export class InferenceHost {
  private worker: Worker | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: InferenceReply) => void; reject: (e: unknown) => void }>();

  private ensure(): Worker {
    if (this.worker) return this.worker;
    const w = new Worker(ENTRY, { workerData: { module: TASK.href, export: 'serveInference', args: {}, serve: true } });
    w.on('message', (m: { id: number; ok: boolean; type?: string; error?: PortraitErrorShape } & InferenceReply) => {
      if (m.type === 'error') {
        // The worker failed to start (e.g. no backend): fail everything waiting, start fresh next time.
        fail(`The inference worker failed: ${m.error?.message ?? 'unknown error'}`);
        void w.terminate();
        return;
      }
      const p = this.pending.get(m.id);
      if (!p) return;
      this.pending.delete(m.id);
      if (m.ok) p.resolve(m);
      else p.reject(new PortraitError(m.error!.code, m.error!.message));
    });
    const fail = (why: string) => {
      for (const p of this.pending.values()) p.reject(new PortraitError('INTERNAL', why));
      this.pending.clear();
      this.worker = null;
    };
    w.on('error', (e) => fail(`The inference worker crashed: ${e.message}`));
    w.on('exit', () => fail('The inference worker stopped.'));
    this.worker = w;
    return w;
  }

  infer(dir: string, frames: number[]): Promise<InferenceReply> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.ensure().postMessage({ id, dir, frames });
    });
  }

  async close(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (w) await w.terminate();
  }
}
