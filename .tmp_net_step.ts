import '@tensorflow/tfjs';
import { createTrainer } from './src-main/net/train/trainer.js';
import { Rng } from './src-main/net/train/rng.js';
const prof = (process.argv[2] ?? 'tiny') as 'tiny';
const backend = (process.argv[3] ?? 'wasm') as 'wasm';
const n = Number(process.argv[4] ?? 1);
const t = await createTrainer(prof, { backend, seed: 1 });
const R = t.profile.resolution;
const rng = new Rng(3);
const input = new Float32Array(n*R*R*99); rng.fillNormal(input,0,0.5);
const target = new Float32Array(n*R*R*3); rng.fillNormal(target,0,0.5);
for (let i=0;i<4;i++){ const s=performance.now(); const l=t.step({input,target,n}); console.log(i, JSON.stringify(l), (performance.now()-s).toFixed(0),'ms'); }
const s=performance.now(); t.predict(input,n); console.log('predict', (performance.now()-s).toFixed(0));
