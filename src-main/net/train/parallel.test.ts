import '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { deserializeCheckpoint, serializeCheckpoint } from '../checkpoint/checkpoint.js';
import { PROFILES, withOptions } from '../model/profiles.js';
import { createParallelTrainer, ParallelTrainer } from './parallel.js';
import { Rng } from './rng.js';
import { createTrainer, GanTrainer, type StepLosses, type Trainer, type TrainBatch } from './trainer.js';

function makeBatch(res: number, n: number, seed: number): TrainBatch {
  const rng = new Rng(seed);
  const input = new Float32Array(n * res * res * 99);
  rng.fillNormal(input, 0, 0.5);
  const target = new Float32Array(n * res * res * 3);
  for (let i = 0; i < n * res * res; i++) {
    for (let c = 0; c < 3; c++) target[i * 3 + c] = Math.tanh(input[i * 99 + c * 5]! + 0.5 * input[i * 99 + c * 5 + 1]!);
  }
  return { input, target, n };
}

const open: Trainer[] = [];
afterEach(() => {
  while (open.length) open.pop()!.dispose();
});
function keep<T extends Trainer>(t: T): T {
  open.push(t);
  return t;
}
const weightsOf = (t: Trainer): Map<string, Float32Array> => new Map(t.save().tensors.map((x) => [x.name, x.data]));

describe('ParallelTrainer (data-parallel replicas in worker threads)', () => {
  it('with one replica is bit-identical to the single-thread trainer (masks drawn up front, same update)', async () => {
    const s = keep(await createTrainer('tiny', { backend: 'wasm', seed: 5 }));
    const p = keep(await createParallelTrainer('tiny', { backend: 'wasm', seed: 5, threads: 1 }));
    const b = makeBatch(16, 3, 1);
    for (let i = 0; i < 3; i++) expect(p.step(b)).toEqual(s.step(b));
    expect(weightsOf(p)).toEqual(weightsOf(s));
  }, 60_000);

  it('with two replicas applies exactly the mean of the shards\' gradients (all-reduce checked bit for bit)', async () => {
    const p = keep(await createParallelTrainer('tiny', { backend: 'wasm', seed: 8, threads: 2 }));
    expect(p.threads).toBe(2);
    const ref = keep((await createTrainer('tiny', { backend: 'wasm', seed: 8 })) as GanTrainer);
    const b = makeBatch(16, 2, 4);
    const lp = p.step(b);

    // The same step by hand on one replica: whole-batch masks, each half's gradient x 1/2, summed.
    const masks = ref.drawDropoutMasks(2);
    const per = 16 * 16 * 99;
    const acc = new Map<string, Float32Array>();
    const half = (k: number): StepLosses =>
      ref.shardGradients(b.input.slice(k * per, (k + 1) * per), b.target.slice(k * 768, (k + 1) * 768), 1, masks.map((m) => m.slice((k * m.length) / 2, ((k + 1) * m.length) / 2)), (name, g) => {
        const a = acc.get(name) ?? new Float32Array(g.length);
        const scaled = new Float32Array(g.length);
        for (let i = 0; i < g.length; i++) scaled[i] = g[i]! * 0.5;
        for (let i = 0; i < g.length; i++) a[i] = a[i]! + scaled[i]!;
        acc.set(name, a);
      });
    const l0 = half(0);
    const l1 = half(1);
    ref.applyGradientArrays(acc);
    expect(weightsOf(p)).toEqual(weightsOf(ref));
    expect(lp.lossL1).toBeCloseTo((l0.lossL1 + l1.lossL1) / 2, 6);
    expect(lp.lossD).toBeCloseTo((l0.lossD + l1.lossD) / 2, 6);
  }, 60_000);

  it('tracks the single-thread losses over steps (BatchNorm per shard: within 0.5% for G/L1, 2% for D/adv)', async () => {
    const s = keep(await createTrainer('tiny', { backend: 'wasm', seed: 7 }));
    const p = keep(await createTrainer('tiny', { backend: 'wasm', seed: 7, threads: 2 }));
    expect(p).toBeInstanceOf(ParallelTrainer);
    expect(p.backend.reason).toMatch(/data-parallel over 2 threads/);
    const b = makeBatch(16, 4, 3);
    const rel = (a: number, r: number): number => Math.abs(a - r) / Math.abs(r);
    for (let i = 0; i < 5; i++) {
      const a = s.step(b);
      const c = p.step(b);
      // Same initial weights and dropout masks; the shards normalise by their own batch
      // statistics (2 samples instead of 4), which moves the outputs and so the losses a little.
      expect(rel(c.lossG, a.lossG)).toBeLessThan(0.005);
      expect(rel(c.lossL1, a.lossL1)).toBeLessThan(0.005);
      expect(rel(c.lossD, a.lossD)).toBeLessThan(0.02);
      expect(rel(c.lossAdv, a.lossAdv)).toBeLessThan(0.02);
    }
    expect(p.stepCount).toBe(5);
  }, 60_000);

  it('writes checkpoints the single-thread trainer loads, and loads its checkpoints (a run can move between them)', async () => {
    const p = keep(await createParallelTrainer('tiny', { backend: 'wasm', seed: 11, threads: 2 }));
    const b = makeBatch(16, 3, 6); // uneven shards: 2 + 1
    for (let i = 0; i < 3; i++) p.step(b);
    const bytes = serializeCheckpoint(p.save());
    const s = keep(await createTrainer('tiny', { backend: 'wasm', seed: 999 }));
    s.load(deserializeCheckpoint(bytes));
    expect(s.stepCount).toBe(3);
    const x = makeBatch(16, 1, 2).input;
    expect(s.predict(x)).toEqual(p.predict(x));
    expect(s.permutation(7)).toEqual(p.permutation(7));

    // ...and back: the single-thread run's checkpoint resumes in parallel, replicas included.
    s.step(b);
    const back = keep(await createParallelTrainer('tiny', { backend: 'wasm', seed: 1, threads: 2 }));
    back.load(deserializeCheckpoint(serializeCheckpoint(s.save())));
    expect(back.stepCount).toBe(4);
    const one = makeBatch(16, 1, 9); // batch 1: only the calling thread works
    expect(Number.isFinite(back.step(one).lossG)).toBe(true);
    const l = back.step(b);
    expect(Number.isFinite(l.lossG) && Number.isFinite(l.lossD)).toBe(true);
    expect(back.stepCount).toBe(6);
  }, 60_000);

  it('rejects a malformed batch before dispatching anything', async () => {
    const p = keep(await createParallelTrainer('tiny', { backend: 'wasm', seed: 1, threads: 2 }));
    expect(() => p.step(makeBatch(8, 2, 1))).toThrow(/expects 2x16x16x99/);
    expect(Number.isFinite(p.step(makeBatch(16, 2, 1)).lossG)).toBe(true);
  }, 60_000);

  it('keeps the EMA and skips D with advWeight 0 in the data-parallel path too (1 replica: bit-identical to the single trainer)', async () => {
    const p = withOptions(PROFILES.tiny, { emaDecay: 0.9, advWeight: 0 });
    const s = keep(await createTrainer(p, { backend: 'wasm', seed: 5 }));
    const one = keep(await createParallelTrainer(p, { backend: 'wasm', seed: 5, threads: 1 }));
    const two = keep(await createParallelTrainer(p, { backend: 'wasm', seed: 5, threads: 2 }));
    const before = weightsOf(two);
    const b = makeBatch(16, 2, 1);
    for (let i = 0; i < 3; i++) {
      expect(one.step(b)).toEqual(s.step(b));
      expect(two.step(b).lossD).toBe(0);
    }
    expect(weightsOf(one)).toEqual(weightsOf(s));
    const after = weightsOf(two);
    for (const [name, data] of after) if (/(^|\.)d\./.test(name)) expect(data, name).toEqual(before.get(name));
    expect(after.get('ema.g.up0.w')).not.toEqual(after.get('g.up0.w'));
    expect(after.get('ema.g.up0.w')).not.toEqual(before.get('ema.g.up0.w'));
    const x = makeBatch(16, 1, 2).input;
    expect(one.predict(x)).toEqual(s.predict(x));
  }, 60_000);
});
