// Generic job worker: registers tsx (workers do not inherit loaders), loads the task module
// named in workerData and runs its exported function with a progress/cancel port.
import { register } from 'tsx/esm/api';
import { parentPort, workerData } from 'node:worker_threads';

register();
const controller = new AbortController();
parentPort.on('message', (m) => {
  if (m && m.type === 'cancel') controller.abort();
});
const progress = (done, total, stage, metrics) => parentPort.postMessage({ type: 'progress', done, total, stage, metrics });
try {
  const mod = await import(workerData.module);
  const fn = mod[workerData.export];
  if (typeof fn !== 'function') throw new Error(`${workerData.module} has no export ${workerData.export}`);
  if (workerData.serve) {
    // A long-lived worker (e.g. a warm model): the task owns the port from here on.
    await fn(workerData.args, { signal: controller.signal, progress, port: parentPort });
  } else {
    const value = await fn(workerData.args, { signal: controller.signal, progress });
    parentPort.postMessage({ type: 'result', value });
  }
} catch (e) {
  parentPort.postMessage({
    type: 'error',
    error: { code: typeof e?.code === 'string' ? e.code : 'INTERNAL', message: e?.message ?? String(e), stack: e?.stack, errno: e?.errno },
  });
}
