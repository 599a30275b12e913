import '@tensorflow/tfjs';
import { createTrainer } from './src-main/net/train/trainer.js';
import { Rng } from './src-main/net/train/rng.js';
const t = await createTrainer('tiny', { backend: 'wasm', seed: 1 });
const R = t.profile.resolution; const n = 2;
const rng = new Rng(3);
const input = new Float32Array(n*R*R*99); rng.fillNormal(input,0,0.5);
const target = new Float32Array(n*R*R*3);
for (let i=0;i<n*R*R;i++) for (let c=0;c<3;c++) target[i*3+c] = Math.tanh(input[i*99+c*5]! + 0.5*input[i*99+c*5+1]!);
const s=performance.now();
for (let i=0;i<Number(process.argv[2]??200);i++){ const l=t.step({input,target,n}); if(i%25===0) console.log(i, l.lossL1.toFixed(4), l.lossD.toFixed(3)); }
console.log('ms/step', ((performance.now()-s)/Number(process.argv[2]??200)).toFixed(1));
const p = t.predict(input, n); let e=0; for (let i=0;i<p.length;i++) e+=Math.abs(p[i]!-target[i]!); console.log('pred L1', e/p.length);
