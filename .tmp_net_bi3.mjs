import * as tf from '@tensorflow/tfjs';
import * as W from '@tensorflow/tfjs-backend-wasm';
import path from 'node:path';
W.setWasmPaths(path.resolve('node_modules/@tensorflow/tfjs-backend-wasm/dist') + '/');
await tf.setBackend('wasm'); await tf.ready();
function t(f, n=5){ f().dispose(); const s=performance.now(); for(let i=0;i<n;i++){ const y=f(); y.dataSync(); y.dispose(); } return ((performance.now()-s)/n); }
for (const [hw, ci, co] of [[1,128,128],[2,128,256],[4,64,256],[8,64,64],[16,16,64],[32,16,16]]) {
  const dy = tf.randomNormal([1,hw,hw,co]); const w = tf.randomNormal([4,4,ci,co]);
  console.log(hw, ci, co, 'stock', t(()=>tf.conv2dTranspose(dy, w, [1,hw*2,hw*2,ci], 2, 'same')).toFixed(2));
}
