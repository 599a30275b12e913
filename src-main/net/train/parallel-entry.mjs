// Entry of a data-parallel training replica (train/parallel.ts): loads the replica module
// (load-module.mjs: tsx for TypeScript sources, plain .js in the compiled app) and runs it.
import { parentPort, workerData } from 'node:worker_threads';
import { loadModule } from '../../services/workers/load-module.mjs';

try {
  const mod = await loadModule(workerData.module);
  await mod.runReplica(workerData);
} catch (e) {
  parentPort.postMessage({ type: 'error', message: e?.message ?? String(e), stack: e?.stack });
}
