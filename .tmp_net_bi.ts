import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend } from './src-main/net/backend/select.js';
await selectBackend({prefer:'wasm', forTraining:true});
function t(name: string, f: ()=>tf.Tensor, n=5){ f().dispose(); const s=performance.now(); for(let i=0;i<n;i++){ const y=f(); y.dataSync(); y.dispose(); } console.log(name, ((performance.now()-s)/n).toFixed(2),'ms'); }
const dy = tf.randomNormal([1,2,2,256]); const w = tf.randomNormal([4,4,128,256]);
t('bpi', ()=>tf.conv2dTranspose(dy as tf.Tensor4D, w as tf.Tensor4D, [1,4,4,128], 2, 'same'));
t('reverse', ()=>tf.reverse(w,[0,1]));
t('transpose', ()=>tf.transpose(w,[0,1,3,2]));
t('stridedSlice', ()=>tf.stridedSlice(w,[0,0,0,0],[4,4,128,256],[2,2,1,1]));
const sub = tf.randomNormal([2,2,256,128]);
t('conv', ()=>tf.conv2d(dy as tf.Tensor4D, sub as tf.Tensor4D, 1, [[0,0],[1,1],[1,1],[0,0]]));
t('conv new filter each', ()=>{ const f = tf.add(sub, 0) as tf.Tensor4D; const r = tf.conv2d(dy as tf.Tensor4D, f, 1, [[0,0],[1,1],[1,1],[0,0]]); f.dispose(); return r;});
