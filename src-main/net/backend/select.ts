import { createRequire } from 'node:module';
import path from 'node:path';
import { existsSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import { registerWasmTrainingKernels } from '../kernels/register.js';
import { probeAdapterQuietly } from './quiet-adapter-probe.js';
import { BACKEND_IDS, BACKENDS, type BackendId } from '../../../src-shared/net/backends.js';

export type { BackendId };
/** Fastest first (the table's order). */
export const BACKEND_ORDER: readonly BackendId[] = BACKEND_IDS;

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

/** The part of the `webgpu` package (Dawn's Node bindings) we use. */
export interface WebGpuModule {
  create(flags: string[]): { requestAdapter(opts?: { powerPreference?: string }): Promise<unknown | null> };
  /** GPUBufferUsage, GPUMapMode, ...: tfjs-backend-webgpu reads them as globals */
  globals: Record<string, unknown>;
}
/** Loads the `webgpu` package; injectable so tests can simulate "no adapter" or "not installed". */
export type WebGpuLoader = () => Promise<WebGpuModule>;

/**
 * Dawn prints a native warning on every start when Linux has no Vulkan loader; checking for
 * the library first keeps CPU-only machines quiet and gives the user a precise reason.
 */
function vulkanLoaderPresent(): boolean {
  if (process.platform !== 'linux') return true;
  const dirs = [
    ...(process.env['LD_LIBRARY_PATH'] ?? '').split(':').filter(Boolean),
    '/usr/lib/x86_64-linux-gnu',
    '/usr/lib/aarch64-linux-gnu',
    '/lib/x86_64-linux-gnu',
    '/lib/aarch64-linux-gnu',
    '/usr/lib64',
    '/usr/lib',
    '/usr/local/lib',
  ];
  return dirs.some((d) => existsSync(path.join(d, 'libvulkan.so.1')));
}

const defaultWebGpuLoader: WebGpuLoader = async () => {
  if (!vulkanLoaderPresent()) throw new Error('no GPU adapter (no Vulkan loader, libvulkan.so.1, installed)');
  // Only a real GPU adapter gets Dawn loaded in this process (see quiet-adapter-probe.ts).
  const probe = await probeAdapterQuietly();
  if (!probe.ok) throw new Error(probe.reason);
  const m = (await importOptional('webgpu')) as Partial<WebGpuModule> & { default?: Partial<WebGpuModule> };
  const mod = typeof m.create === 'function' ? m : m.default;
  if (!mod || typeof mod.create !== 'function' || !mod.globals) throw new Error('the webgpu package has no create()/globals');
  return mod as WebGpuModule;
};

function noAdapterReason(): string {
  const api = process.platform === 'darwin' ? 'Metal' : process.platform === 'win32' ? 'D3D12/Vulkan' : 'Vulkan';
  return `no GPU adapter (${api} not available)`;
}

/**
 * Finds a hardware WebGPU adapter and exposes it the way tfjs-backend-webgpu expects
 * (navigator.gpu and the GPU* globals), then loads that package, which registers 'webgpu'
 * only if navigator.gpu exists when it is first imported. Throws a short reason otherwise.
 * The real probe's outcome is cached: an adapter does not appear mid-process, and each probe
 * starts a Dawn instance.
 */
async function activateWebGpu(loader: WebGpuLoader): Promise<void> {
  if (!tf.findBackendFactory('webgpu')) {
    const mod = await loader();
    const gpu = mod.create([]);
    const adapter = (await gpu.requestAdapter({ powerPreference: 'high-performance' })) as
      | { isFallbackAdapter?: boolean; info?: { isFallbackAdapter?: boolean } }
      | null;
    if (!adapter) throw new Error(noAdapterReason());
    if (adapter.isFallbackAdapter || adapter.info?.isFallbackAdapter) throw new Error('only a software (fallback) GPU adapter');
    Object.assign(globalThis, mod.globals);
    const g = globalThis as { navigator?: { gpu?: unknown } };
    if (g.navigator) {
      // Node >= 21 has a navigator without gpu; its property is a getter on the prototype.
      Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
    } else {
      Object.defineProperty(globalThis, 'navigator', { value: { gpu }, configurable: true, writable: true });
    }
    await importOptional('@tensorflow/tfjs-backend-webgpu');
    if (!tf.findBackendFactory('webgpu')) throw new Error('tfjs-backend-webgpu did not register (navigator.gpu not seen)');
  }
  if (!(await tf.setBackend('webgpu'))) throw new Error('the webgpu backend did not initialise');
}

let realWebGpu: Promise<void> | null = null;
let realWebGpuFailure: unknown = null;

/** Loads the module by a computed name so a missing optional package is a runtime miss, not a type error. */
async function importOptional(name: string): Promise<unknown> {
  return import(name);
}

async function activate(id: BackendId, webgpu: WebGpuLoader | undefined): Promise<string> {
  switch (id) {
    case 'webgpu': {
      if (webgpu) {
        await activateWebGpu(webgpu);
      } else {
        // Cache a miss (the common case: no GPU): probing again would start Dawn again.
        if (realWebGpuFailure) throw realWebGpuFailure;
        realWebGpu ??= activateWebGpu(defaultWebGpuLoader);
        try {
          await realWebGpu;
        } catch (e) {
          realWebGpuFailure = e;
          realWebGpu = null;
          throw e;
        }
      }
      return 'webgpu';
    }
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
export async function selectBackend(opts: {
  prefer?: BackendId;
  forTraining: boolean;
  /** replaces the `webgpu` package loader (tests: no adapter, not installed) */
  webgpu?: WebGpuLoader;
  /** backends not to try at all (tests, benchmarks); a skip is recorded in tried */
  skip?: readonly BackendId[];
}): Promise<BackendChoice> {
  const order = opts.prefer ? [opts.prefer, ...BACKEND_ORDER.filter((b) => b !== opts.prefer)] : [...BACKEND_ORDER];
  const tried: BackendAttempt[] = [];
  for (const id of order) {
    if (opts.skip?.includes(id)) {
      tried.push({ name: id, ok: false, reason: 'skipped by request' });
      continue;
    }
    try {
      const tfName = await activate(id, opts.webgpu);
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
  const missed = tried.length ? ` (not used: ${tried.map((t) => `${t.name}: ${t.reason}`).join('; ')})` : '';
  return `${BACKENDS[id].description}${prefer && prefer !== id ? `; preferred ${prefer} failed` : ''}${missed}`;
}

function shortReason(e: unknown): string {
  const msg = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: unknown } | null)?.code;
  if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND' || /Cannot find (package|module)|ERR_MODULE_NOT_FOUND/.test(msg)) return 'not installed';
  // A native addon that is installed but cannot load (wrong CUDA/glibc, missing .so).
  if (/\.node\b|dlopen|shared object|libcud|libtensorflow/i.test(msg)) return `installed but cannot load: ${msg.split('\n')[0]!.slice(0, 160)}`;
  return msg.split('\n')[0]!.slice(0, 200);
}
