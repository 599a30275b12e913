import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from '../backend/select.ts';
await selectBackend({ prefer: 'wasm', forTraining: true });
const x = tf.randomNormal([1, 128, 128, 99]);
const time = (label, f, reps = 6) => { f(); const ts = []; for (let i = 0; i < reps; i++) { const t0 = performance.now(); tf.tidy(() => { const r = f(); (Array.isArray(r) ? r[0] : r).dataSync(); }); ts.push(performance.now() - t0); } ts.sort((a,b)=>a-b); console.log(label.padEnd(40), ts[Math.floor(reps/2)].toFixed(1)); };
for (const co of [16, 32]) {
  const w = tf.randomNormal([4, 4, 99, co]);
  const dy = tf.randomNormal([1, 64, 64, co]);
  time(`fwd conv 99->${co}`, () => tf.conv2d(x, w, 2, 'same'));
  time(`filter grad 99->${co}`, () => tf.conv2dBackpropFilter ? tf.conv2dBackpropFilter(x, dy, [4,4,99,co], 2, 'same') : tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: [2,2], pad: 'same', dataFormat: 'NHWC', filterShape: [4,4,99,co] }));
}
time('transpose x [3,1,2,0]', () => tf.transpose(x, [3, 1, 2, 0]));
// im2col-ish alternative: space-to-depth + 4 matmuls
const dy = tf.randomNormal([1, 64, 64, 16]);
time('s2d+4 matmul filter grad 99->16', () => {
  const xp = tf.pad(x, [[0,0],[1,1],[1,1],[0,0]]);
  const s = tf.reshape(tf.spaceToBatchND ? tf.depthToSpace ? tf.reshape(xp, [65, 2, 65, 2, 99]) : xp : xp, [65, 2, 65, 2, 99]);
  const d2 = tf.reshape(dy, [4096, 16]);
  const outs = [];
  for (const a of [0, 1]) for (const b of [0, 1]) {
    const sl = tf.slice(s, [a, 0, b, 0, 0], [64, 2, 64, 2, 99]); // [oy, py, ox, px, ci]
    const t = tf.reshape(tf.transpose(sl, [0, 2, 1, 3, 4]), [4096, 396]);
    outs.push(tf.matMul(t, d2, true, false));
  }
  return outs;
});
