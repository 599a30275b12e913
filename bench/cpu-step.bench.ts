/**
 * One end-to-end training step of the cpu profile on the pure-JS cpu backend (minutes), so
 * the wasm-vs-cpu speedup has a measured end-to-end figure and not only the lower bound of
 * train.bench.ts. Random tensors, batch 1, one warm-up forward first; BENCH_CPU_STEPS (2).
 */
import '@tensorflow/tfjs';
import { createTrainer } from '../src-main/net/train/trainer.js';
import { Rng } from '../src-main/net/train/rng.js';
import { getProfile, inputChannels } from '../src-main/net/model/profiles.js';
import { load1, spread } from './stats.js';

export async function run(): Promise<Record<string, unknown>> {
  const steps = Number(process.env['BENCH_CPU_STEPS'] ?? 2);
  const p = getProfile('cpu');
  const R = p.resolution;
  const rng = new Rng(7);
  const input = new Float32Array(R * R * inputChannels(p));
  const target = new Float32Array(R * R * 3);
  rng.fillNormal(input, 0, 0.5);
  rng.fillNormal(target, 0, 0.5);
  const out: Record<string, unknown> = { profile: 'cpu', batch: 1, input: 'random tensors, no data pipeline' };
  for (const backend of ['wasm', 'cpu'] as const) {
    const t = await createTrainer(p, { seed: 1, backend });
    t.predict(input, 1);
    const ms: number[] = [];
    const loads: number[] = [];
    for (let i = 0; i < steps; i++) {
      loads.push(load1());
      const t0 = performance.now();
      t.step({ input, target, n: 1 });
      ms.push(performance.now() - t0);
    }
    t.dispose();
    out[backend] = { msPerStep: spread(ms, 0), load1: loads, kind: 'end-to-end' };
  }
  const w = (out['wasm'] as { msPerStep: { median: number } }).msPerStep.median;
  const c = (out['cpu'] as { msPerStep: { median: number } }).msPerStep.median;
  out['speedupWasmOverCpu'] = Math.round((c / w) * 10) / 10;
  return out;
}
