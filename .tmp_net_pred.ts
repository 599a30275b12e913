import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { createTrainer } from './src-main/net/train/trainer.js';
const t = await createTrainer('cpu', { backend: 'wasm', seed: 1 });
const R = 128; const x = new Float32Array(R*R*99).fill(0.1);
for (let i=0;i<5;i++){ const s=performance.now(); const c0=process.cpuUsage(); t.predict(x); const c=process.cpuUsage(c0); console.log('predict', (performance.now()-s).toFixed(1), ((c.user+c.system)/1000).toFixed(1)); }
const info = await tf.profile(() => { t.predict(x); });
const agg = new Map<string,[number,number]>();
for (const k of info.kernels) { const a = agg.get(k.name) ?? [0,0]; a[0]+= (k.kernelTimeMs as number); a[1]++; agg.set(k.name,a); }
console.log([...agg].sort((a,b)=>b[1][0]-a[1][0]).slice(0,8).map(([k,[ms,c]])=>`${k} ${ms.toFixed(1)}ms x${c}`).join('\n'));
