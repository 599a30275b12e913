// Entry of a data-parallel training replica (train/parallel.ts). Workers do not inherit the
// parent's loaders: register tsx here, then load the TypeScript replica loop.
import { register } from 'tsx/esm/api';
import { parentPort, workerData } from 'node:worker_threads';

register();
try {
  const mod = await import(workerData.module);
  await mod.runReplica(workerData);
} catch (e) {
  parentPort.postMessage({ type: 'error', message: e?.message ?? String(e), stack: e?.stack });
}
