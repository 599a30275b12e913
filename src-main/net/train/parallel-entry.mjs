// Entry of a data-parallel training replica (train/parallel.ts). Workers do not inherit the
// parent's loaders: TypeScript sources (development, tests) need tsx registered here; the
// compiled app (dist/app) loads plain .js.
import { parentPort, workerData } from 'node:worker_threads';

try {
  if (workerData.module.endsWith('.ts')) {
    const { register } = await import('tsx/esm/api');
    register();
  }
  const mod = await import(workerData.module);
  await mod.runReplica(workerData);
} catch (e) {
  parentPort.postMessage({ type: 'error', message: e?.message ?? String(e), stack: e?.stack });
}
