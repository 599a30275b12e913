import '@tensorflow/tfjs';
import { createTrainer } from '../train/trainer.ts';
import { createParallelTrainer } from '../train/parallel.ts';
import { Rng } from '../train/rng.ts';
function makeBatch(res, n, seed) {
  const rng = new Rng(seed);
  const input = new Float32Array(n * res * res * 99);
  rng.fillNormal(input, 0, 0.5);
  const target = new Float32Array(n * res * res * 3);
  for (let i = 0; i < n * res * res; i++) for (let c = 0; c < 3; c++) target[i * 3 + c] = Math.tanh(input[i * 99 + c * 5] + 0.5 * input[i * 99 + c * 5 + 1]);
  return { input, target, n };
}
const prof = process.argv[2] ?? 'tiny'; const n = +(process.argv[3] ?? 4);
const t0 = performance.now();
const s = await createTrainer(prof, { backend: 'wasm', seed: 7 });
const p1 = await createParallelTrainer(prof, { backend: 'wasm', seed: 7, threads: 1 });
const p2 = await createParallelTrainer(prof, { backend: 'wasm', seed: 7, threads: 2 });
console.log('created', performance.now() - t0);
const b = makeBatch(s.profile.resolution, n, 3);
for (let i = 0; i < 6; i++) {
  const a = s.step(b), c = p1.step(b), d = p2.step(b);
  console.log(i, JSON.stringify(a), JSON.stringify(c) === JSON.stringify(a) ? 'K1 EXACT' : 'K1 ' + JSON.stringify(c), JSON.stringify(d));
}
const ck = p2.save();
const s2 = await createTrainer(prof, { backend: 'wasm', seed: 99 });
s2.load(ck);
const x = b.input.subarray(0, s.profile.resolution ** 2 * 99);
const e1 = p2.predict(x), e2 = s2.predict(x);
console.log('predict equal', e1.every((v, i) => v === e2[i]), s2.stepCount);
p1.dispose(); p2.dispose(); s.dispose(); s2.dispose();
console.log('done');
