import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from './src-main/net/backend/select.js';
import { tuning } from './src-main/net/kernels/conv-backprop-input.js';
await selectBackend({prefer:'wasm', forTraining:true});
function once(f: ()=>tf.Tensor){ const s=performance.now(); const y=f(); y.dataSync(); y.dispose(); return performance.now()-s; }
for (const [hw, ci, co, k, s] of [[1,128,128,4,2],[2,128,256,4,2],[4,64,256,4,2],[4,128,256,4,2],[8,64,64,4,2],[8,64,256,4,2],[16,16,64,4,2],[32,16,16,4,2],[4,128,128,3,1],[8,128,128,3,1],[16,64,64,3,1]]) {
  const dy = tf.randomNormal([1,hw,hw,co]) as tf.Tensor4D; const w = tf.randomNormal([k,k,ci,co]) as tf.Tensor4D;
  const f = ()=>tf.conv2dTranspose(dy, w, [1,hw*s,hw*s,ci], s, 'same');
  let a=1e9,b=1e9;
  for (let i=0;i<6;i++){ tuning.smallMap=0; a=Math.min(a,once(f)); tuning.smallMap=1e9; b=Math.min(b,once(f)); }
  console.log(`${hw}x${hw} ${ci}<-${co} k${k}s${s}: xnn ${a.toFixed(2)}  stock ${b.toFixed(2)}`);
}
