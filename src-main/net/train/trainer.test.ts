import '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import { deserializeCheckpoint, serializeCheckpoint } from '../checkpoint/checkpoint.js';
import { PROFILES, profileSignature } from '../model/profiles.js';
import { createTrainer, type Trainer, type TrainBatch } from './trainer.js';
import { Rng } from './rng.js';

/** A learnable mapping: each target channel is a squashed mix of two input channels. */
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
async function trainer(profile: 'tiny' | 'cpu', seed = 1): Promise<Trainer> {
  const t = await createTrainer(profile, { backend: 'wasm', seed });
  open.push(t);
  return t;
}

describe('GAN trainer on wasm', () => {
  it('overfits a few frames: L1 falls at least 3x in 400 steps of the tiny profile', async () => {
    const t = await trainer('tiny');
    const batch = makeBatch(t.profile.resolution, 2, 3);
    const first = t.step(batch);
    let last = first;
    for (let i = 1; i < 400; i++) last = t.step(batch);
    expect(Number.isFinite(last.lossD) && Number.isFinite(last.lossG)).toBe(true);
    expect(last.lossL1).toBeLessThan(first.lossL1 / 3);
    const pred = t.predict(batch.input, batch.n);
    let err = 0;
    for (let i = 0; i < pred.length; i++) err += Math.abs(pred[i]! - batch.target[i]!);
    expect(err / pred.length).toBeLessThan(first.lossL1 / 3);
    expect(t.stepCount).toBe(400);
  }, 120_000);

  it('save -> serialize -> load -> continue gives the same next-step losses as not stopping', async () => {
    const a = await trainer('tiny', 42);
    const batch = makeBatch(a.profile.resolution, 2, 5);
    for (let i = 0; i < 5; i++) a.step(batch);
    const bytes = serializeCheckpoint(a.save());
    const expected = [a.step(batch), a.step(batch)];

    const b = await trainer('tiny', 999); // a different seed: everything must come from the checkpoint
    b.load(deserializeCheckpoint(bytes));
    expect(b.stepCount).toBe(5);
    const resumed = [b.step(batch), b.step(batch)];
    expect(resumed).toEqual(expected);
    expect(b.permutation(10)).toEqual(a.permutation(10));
  }, 60_000);

  it('refuses a checkpoint of another profile with a clear message, leaving the trainer usable', async () => {
    const tiny = await trainer('tiny');
    const ckpt = tiny.save();
    const other = { ...ckpt, profile: 'cpu', signature: profileSignature(PROFILES.cpu), resolution: PROFILES.cpu.resolution };
    const before = tiny.predict(makeBatch(16, 1, 9).input);
    let err: unknown;
    try {
      tiny.load(other);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PortraitError);
    expect((err as PortraitError).code).toBe('BAD_REQUEST');
    expect((err as PortraitError).message).toMatch(/profile "cpu" \(128x128\).*not "tiny" \(16x16\)/);
    expect(tiny.predict(makeBatch(16, 1, 9).input)).toEqual(before);
  });

  it('refuses up front a batch the memory estimate says cannot fit', async () => {
    await expect(createTrainer('paper', { backend: 'wasm', seed: 1, batch: 16 })).rejects.toThrow(/use batch \d+ or less/);
  });

  it('rejects a batch whose size does not match the profile', async () => {
    const t = await trainer('tiny');
    const bad = makeBatch(8, 1, 1);
    expect(() => t.step(bad)).toThrow(/expects 1x16x16x99/);
  });
});
