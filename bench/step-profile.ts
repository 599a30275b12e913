/**
 * Where a cpu-profile training step spends its time on the wasm backend, per kernel:
 *   npx tsx bench/step-profile.ts [steps=3]
 * Random tensors, batch 1, after 3 warm-up steps; tf.profile's kernelTimeMs (wall time of
 * each synchronous wasm kernel), summed by kernel name and by kernel + input shapes. Prints the
 * table and writes bench/results/step-profile.json. A diagnostic, not a `*.bench.ts` suite.
 */
import * as tf from '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { cpus, loadavg } from 'node:os';
import { createTrainer } from '../src-main/net/train/trainer.js';
import { Rng } from '../src-main/net/train/rng.js';
import { getProfile, inputChannels } from '../src-main/net/model/profiles.js';

const steps = Number(process.argv[2] ?? 3);
const p = getProfile('cpu');
const R = p.resolution;
const rng = new Rng(7);
const input = new Float32Array(R * R * inputChannels(p));
const target = new Float32Array(R * R * 3);
rng.fillNormal(input, 0, 0.5);
rng.fillNormal(target, 0, 0.5);
const t = await createTrainer(p, { seed: 1, backend: 'wasm' });
for (let i = 0; i < 3; i++) t.step({ input, target, n: 1 });
const byName = new Map<string, { ms: number; n: number }>();
const byShape = new Map<string, { ms: number; n: number }>();
let wall = 0;
let kernelSum = 0;
for (let i = 0; i < steps; i++) {
  const t0 = performance.now();
  const info = await tf.profile(() => { t.step({ input, target, n: 1 }); });
  wall += performance.now() - t0;
  for (const k of info.kernels) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    kernelSum += ms;
    const a = byName.get(k.name) ?? { ms: 0, n: 0 };
    a.ms += ms; a.n++; byName.set(k.name, a);
    const key = `${k.name} ${JSON.stringify(k.inputShapes)} -> ${JSON.stringify(k.outputShapes)}`;
    const b = byShape.get(key) ?? { ms: 0, n: 0 };
    b.ms += ms; b.n++; byShape.set(key, b);
  }
}
const per = (x: number) => (x / steps).toFixed(1);
console.log(`wall per profiled step ${per(wall)} ms; kernels sum ${per(kernelSum)} ms`);
for (const [name, a] of [...byName].sort((x, y) => y[1].ms - x[1].ms).slice(0, 25)) console.log(`${per(a.ms).padStart(8)} ms  ${String(a.n / steps).padStart(4)}x  ${name}`);
console.log('--- by shape');
for (const [key, a] of [...byShape].sort((x, y) => y[1].ms - x[1].ms).slice(0, 40)) console.log(`${per(a.ms).padStart(8)} ms  ${String(a.n / steps).padStart(4)}x  ${key}`);
const top = (m: Map<string, { ms: number; n: number }>, k: number) =>
  [...m].sort((x, y) => y[1].ms - x[1].ms).slice(0, k).map(([key, a]) => ({ key, msPerStep: Math.round((a.ms / steps) * 10) / 10, callsPerStep: a.n / steps }));
await fs.writeFile(join(process.cwd(), 'bench', 'results', 'step-profile.json'), JSON.stringify({
  date: new Date().toISOString(),
  machine: { cpu: cpus()[0]?.model, cores: cpus().length },
  conditions: 'cpu profile, wasm backend, 1 thread, batch 1, random tensors, 3 warm-up steps, then steps under tf.profile (which adds its own overhead to the wall time)',
  steps,
  load1: Math.round(loadavg()[0]! * 100) / 100,
  wallMsPerStep: Math.round((wall / steps) * 10) / 10,
  kernelMsPerStep: Math.round((kernelSum / steps) * 10) / 10,
  byKernel: top(byName, 25),
  byKernelAndShape: top(byShape, 40),
}, null, 2) + '\n');
t.dispose();
