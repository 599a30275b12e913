import { createRequire } from 'node:module';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import { registerWasmTrainingKernels } from '../kernels/register.js';

export type BackendId = 'tfjs-node-gpu' | 'tfjs-node' | 'wasm' | 'cpu';
export const BACKEND_ORDER: readonly BackendId[] = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'];

export interface BackendAttempt {
  name: BackendId;
  ok: boolean;
  reason: string;
}
export interface BackendChoice {
  name: BackendId;
  /** the tfjs engine backend name ('tensorflow' for both native packages) */
  tfName: string;
  reason: string;
  tried: BackendAttempt[];
}

const require = createRequire(import.meta.url);

/** Loads the module by a computed name so a missing optional package is a runtime miss, not a type error. */
async function importOptional(name: string): Promise<unknown> {
  return import(name);
}

async function activate(id: BackendId): Promise<string> {
  switch (id) {
    case 'tfjs-node-gpu':
    case 'tfjs-node': {
      await importOptional(`@tensorflow/${id}`);
      if (!(await tf.setBackend('tensorflow'))) throw new Error('the native backend did not initialise');
      return 'tensorflow';
    }
    case 'wasm': {
      const wasm = (await import('@tensorflow/tfjs-backend-wasm')) as typeof import('@tensorflow/tfjs-backend-wasm');
      // Node cannot fetch the .wasm by URL; point at the package's dist folder on disk.
      const dist = path.join(path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist') + path.sep;
      wasm.setWasmPaths(dist);
      // The threaded build spawns its workers from blob: URLs, which Node's Worker rejects
      // (ERR_WORKER_PATH; tfjs disables it in Node, tensorflow/tfjs#3830): single-threaded SIMD.
      registerWasmTrainingKernels();
      if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not initialise');
      return 'wasm';
    }
    case 'cpu': {
      // @tensorflow/tfjs registers its pure-JS cpu backend on import.
      await import('@tensorflow/tfjs');
      if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not initialise');
      return 'cpu';
    }
  }
}

/** A conv filter gradient, the op a backend most often lacks: proves the backend can train. */
function trainingSmokeTest(): void {
  tf.tidy(() => {
    const x = tf.ones([1, 4, 4, 2]) as tf.Tensor4D;
    const w = tf.ones([3, 3, 2, 1]) as tf.Tensor4D;
    const g = tf.grad((f: tf.Tensor) => tf.sum(tf.conv2d(x, f as tf.Tensor4D, 2, 'same')))(w);
    const v = g.dataSync();
    if (v.length !== 18 || !Number.isFinite(v[0]!)) throw new Error('conv filter gradient failed');
  });
}

/**
 * Picks the fastest backend that loads: native CUDA, native CPU, wasm (XNNPACK, SIMD) with our
 * training kernels, then pure-JS cpu. Each attempt is reported; a missing native package is a
 * normal outcome, not an error. `prefer` is tried first.
 */
export async function selectBackend(opts: { prefer?: BackendId; forTraining: boolean }): Promise<BackendChoice> {
  const order = opts.prefer ? [opts.prefer, ...BACKEND_ORDER.filter((b) => b !== opts.prefer)] : [...BACKEND_ORDER];
  const tried: BackendAttempt[] = [];
  for (const id of order) {
    try {
      const tfName = await activate(id);
      await tf.ready();
      if (opts.forTraining) trainingSmokeTest();
      const reason = describe(id, tried, opts.prefer);
      tried.push({ name: id, ok: true, reason: 'loaded' });
      return { name: id, tfName, reason, tried };
    } catch (e) {
      tried.push({ name: id, ok: false, reason: shortReason(e) });
    }
  }
  throw new PortraitError('UNSUPPORTED', `No tensorflow backend could be loaded: ${tried.map((t) => `${t.name}: ${t.reason}`).join('; ')}`);
}

function describe(id: BackendId, tried: BackendAttempt[], prefer?: BackendId): string {
  const missed = tried.length ? ` (${tried.map((t) => t.name).join(', ')} unavailable)` : '';
  const what: Record<BackendId, string> = {
    'tfjs-node-gpu': 'native TensorFlow with CUDA',
    'tfjs-node': 'native TensorFlow on the CPU',
    wasm: 'WebAssembly (XNNPACK, SIMD, 1 thread) with Portrait Studio training kernels',
    cpu: 'pure JavaScript (slow: training the paper profile is impractical)',
  };
  return `${what[id]}${prefer && prefer !== id ? `; preferred ${prefer} failed` : ''}${missed}`;
}

function shortReason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  if (/Cannot find (package|module)|ERR_MODULE_NOT_FOUND/.test(msg)) return 'not installed';
  return msg.split('\n')[0]!.slice(0, 200);
}
