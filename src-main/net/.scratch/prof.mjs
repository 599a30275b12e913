import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { createTrainer } from '../train/trainer.ts';
import { Rng } from '../train/rng.ts';
const prof = process.argv[2] ?? 'cpu'; const n = +(process.argv[3] ?? 1);
const t = await createTrainer(prof, { backend: 'wasm', seed: 1 });
const R = t.profile.resolution;
const rng = new Rng(3); const input = new Float32Array(n*R*R*99); rng.fillNormal(input, 0, 0.5);
const target = new Float32Array(n*R*R*3).map((_, i) => Math.tanh(input[Math.floor(i/3)*99]));
const b = { input, target, n };
t.step(b); t.step(b);
const med = (f, k) => { const w = [], c = []; for (let i = 0; i < k; i++) { const c0 = process.cpuUsage(); const t0 = performance.now(); f(); w.push(performance.now() - t0); const cc = process.cpuUsage(c0); c.push((cc.user + cc.system) / 1000); } w.sort((a,b)=>a-b); c.sort((a,b)=>a-b); return [w[k>>1].toFixed(1), c[k>>1].toFixed(1)]; };
const st = med(() => t.step(b), 7), fw = med(() => t.predict(input, n), 7);
console.log('step wall/cpu', st, 'fwd wall/cpu', fw, 'ratio', (st[1] / fw[1]).toFixed(2));
if (process.argv[4] === 'noprof') process.exit(0);
const info = await tf.profile(() => { t.step(b); });
const agg = new Map();
let total = 0;
for (const k of info.kernels) {
  const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
  const key = k.name + ' ' + (k.name.startsWith('Conv') ? JSON.stringify(k.inputShapes) : '');
  const e = agg.get(key) ?? { ms: 0, n: 0 }; e.ms += ms; e.n++; agg.set(key, e); total += ms;
}
const byName = new Map();
for (const k of info.kernels) { const e = byName.get(k.name) ?? { ms: 0, n: 0 }; e.ms += k.kernelTimeMs; e.n++; byName.set(k.name, e); }
console.log('total kernel ms', total.toFixed(1), 'kernels', info.kernels.length);
console.log([...byName].sort((a,b)=>b[1].ms-a[1].ms).slice(0, 25).map(([k,v])=>`${v.ms.toFixed(1).padStart(7)} ${String(v.n).padStart(4)} ${k}`).join('\n'));
console.log('---');
console.log([...agg].sort((a,b)=>b[1].ms-a[1].ms).slice(0, 30).map(([k,v])=>`${v.ms.toFixed(1).padStart(7)} ${String(v.n).padStart(4)} ${k}`).join('\n'));
