// Generic job worker: loads the task module named in workerData (load-module.mjs: tsx for
// TypeScript sources) and runs its exported function with a progress/cancel port.
import { parentPort, receiveMessageOnPort, workerData } from 'node:worker_threads';
import { loadModule } from './load-module.mjs';

const controller = new AbortController();
// Messages that arrive while the task module is still loading are kept for a serving task.
const early = [];
let serveListener = null;
const dispatch = (m) => {
  if (m && m.type === 'cancel') controller.abort();
  if (serveListener) serveListener(m);
  else early.push(m);
};
parentPort.on('message', dispatch);
const port = {
  on(event, listener) {
    if (event !== 'message') return parentPort.on(event, listener);
    serveListener = listener;
    for (const m of early.splice(0)) listener(m);
    return port;
  },
  postMessage: (m, transfer) => parentPort.postMessage(m, transfer),
};
// A compute loop that never awaits (a training step, a frame fit) starves the event loop, so
// the 'message' event carrying a cancel would wait for its next await, minutes away. Every
// progress report first takes the waiting messages synchronously, so a task that reports
// progress sees its signal abort at its next check.
const drain = () => {
  for (let r = receiveMessageOnPort(parentPort); r; r = receiveMessageOnPort(parentPort)) dispatch(r.message);
};
const progress = (done, total, stage, metrics) => {
  // A serving task handles its messages one at a time from the event loop: never re-enter it here.
  if (!workerData.serve) drain();
  parentPort.postMessage({ type: 'progress', done, total, stage, metrics });
};
try {
  const mod = await loadModule(workerData.module);
  const fn = mod[workerData.export];
  if (typeof fn !== 'function') throw new Error(`${workerData.module} has no export ${workerData.export}`);
  if (workerData.serve) {
    // A long-lived worker (e.g. a warm model): the task owns the port from here on.
    await fn(workerData.args, { signal: controller.signal, progress, port });
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
