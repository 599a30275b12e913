import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { createTrainer } from './src-main/net/train/trainer.js';
import { Rng } from './src-main/net/train/rng.js';
const prof = (process.argv[2] ?? 'tiny') as 'tiny';
const t = await createTrainer(prof, { backend: 'wasm', seed: 1 });
const R = t.profile.resolution; const n=1;
const rng = new Rng(3);
const input = new Float32Array(n*R*R*99); rng.fillNormal(input,0,0.5);
const target = new Float32Array(n*R*R*3); rng.fillNormal(target,0,0.5);
t.step({input,target,n}); t.step({input,target,n});
const s = performance.now();
const info = await tf.profile(() => { t.step({input,target,n}); });
console.log('total', performance.now()-s);
const agg = new Map<string,[number,number]>();
for (const k of info.kernels) { const key = k.name; const a = agg.get(key) ?? [0,0]; a[0]+= (k.kernelTimeMs as number); a[1]++; agg.set(key,a); }
console.log([...agg].sort((a,b)=>b[1][0]-a[1][0]).slice(0,25).map(([k,[ms,c]])=>`${k} ${ms.toFixed(1)}ms x${c}`).join('\n'));
const convs = info.kernels.filter(k=>k.name.startsWith('Conv')).sort((a,b)=>(b.kernelTimeMs as number)-(a.kernelTimeMs as number)).slice(0,12);
for (const k of convs) console.log(k.name, (k.kernelTimeMs as number).toFixed(1), JSON.stringify(k.inputShapes));
