import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from './src-main/net/backend/select.js';
await selectBackend({prefer:'wasm', forTraining:true});
const stock = (tf.getKernel('Conv2DBackpropInput','wasm') as any);
function t(name: string, f: ()=>tf.Tensor, n=5){ f().dispose(); const s=performance.now(); for(let i=0;i<n;i++){ const y=f(); y.dataSync(); y.dispose(); } return ((performance.now()-s)/n); }
for (const [hw, ci, co] of [[1,128,128],[2,128,256],[4,64,256],[8,64,64],[16,16,64],[32,16,16]]) {
  const dy = tf.randomNormal([1,hw,hw,co]) as tf.Tensor4D; const w = tf.randomNormal([4,4,ci,co]) as tf.Tensor4D;
  const mine = t('m', ()=>tf.conv2dTranspose(dy, w, [1,hw*2,hw*2,ci], 2, 'same'));
  // stock: call naive via cpu-like fallback: temporarily use conv2dTranspose with odd shape? use engine with stock kernelFunc


  console.log(hw, ci, co, 'mine', mine.toFixed(2));
}
