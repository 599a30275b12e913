import '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import { deserializeCheckpoint, serializeCheckpoint, type Checkpoint } from '../checkpoint/checkpoint.js';
import { getProfile, NETWORK_VERSION, PROFILE_OVERRIDES_ENV, PROFILES, profileSignature, withOptions, type NetProfile, type ProfileOverrides } from '../model/profiles.js';
import { lrSchedule } from './adam.js';
import { emaDecayAt, emaUpdate } from './ema.js';
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
async function trainer(profile: 'tiny' | 'cpu' | NetProfile, seed = 1): Promise<Trainer> {
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

  it('trains and predicts as version 1 did (frozen run of the tiny profile, seed 1)', async () => {
    const v1 = JSON.parse(readFileSync(new URL('../model/v1-topology.fixture.json', import.meta.url), 'utf8')) as {
      tinyRun: { losses: { lossG: number; lossD: number; lossL1: number; lossAdv: number }[]; predAfter3: number[] };
    };
    const t = await trainer('tiny', 1);
    const b = makeBatch(16, 2, 3);
    for (const want of v1.tinyRun.losses) {
      const got = t.step(b);
      for (const k of ['lossG', 'lossD', 'lossL1', 'lossAdv'] as const) expect(got[k]).toBeCloseTo(want[k], 5);
    }
    const pred = t.predict(makeBatch(16, 1, 9).input);
    let maxDiff = 0;
    for (let i = 0; i < pred.length; i++) maxDiff = Math.max(maxDiff, Math.abs(pred[i]! - v1.tinyRun.predAfter3[i]!));
    expect(maxDiff).toBeLessThan(1e-5);
  }, 60_000);
});

const tiny = (o: ProfileOverrides): NetProfile => withOptions(PROFILES.tiny, o);
const tensorsOf = (c: Checkpoint): Map<string, Float32Array> => new Map(c.tensors.map((x) => [x.name, x.data]));

describe('network version 2 options', () => {
  it('EMA: emaUpdate with decay 0 is the weights exactly; early decays are bias-corrected', () => {
    const w = Float32Array.from([1.5, -0, 3, -2.25]);
    const e = Float32Array.from([9, 9, 9, 9]);
    emaUpdate(e, w, 0);
    expect(e).toEqual(w);
    expect(emaDecayAt(0.999, 1)).toBeCloseTo(2 / 11, 12);
    expect(emaDecayAt(0.999, 100_000)).toBe(0.999);
    const f = Float32Array.from([0, 0]);
    emaUpdate(f, Float32Array.from([1, 2]), 0.75);
    expect(Array.from(f)).toEqual([0.25, 0.5]);
  });

  it('EMA: the checkpoint holds ema.<name> for G, different from the raw weights after a few steps; decay 0 keeps none', async () => {
    const t = await trainer(tiny({ emaDecay: 0.9 }), 3);
    const b = makeBatch(16, 2, 4);
    for (let i = 0; i < 4; i++) t.step(b);
    const c = t.save();
    const m = tensorsOf(c);
    const g = c.tensors.filter((x) => x.name.startsWith('g.'));
    expect(c.tensors.filter((x) => x.name.startsWith('ema.')).map((x) => x.name)).toEqual(g.map((x) => `ema.${x.name}`));
    expect(c.tensors.some((x) => x.name.startsWith('ema.d.'))).toBe(false);
    let differ = 0;
    for (const x of g) if (!m.get(`ema.${x.name}`)!.every((v, i) => v === x.data[i])) differ++;
    expect(differ).toBeGreaterThan(g.length / 2);
    expect(c.variant).toEqual({ emaDecay: 0.9 });
    // The EMA resumes from the checkpoint: same predictions, same next steps, same averages.
    const x = makeBatch(16, 1, 9).input;
    const raw = await trainer(tiny({ emaDecay: 0.9 }), 3);
    raw.load(deserializeCheckpoint(serializeCheckpoint(c)));
    expect(raw.predict(x)).toEqual(t.predict(x));
    const resumed = [raw.step(b), raw.step(b)];
    expect(resumed).toEqual([t.step(b), t.step(b)]);
    expect(tensorsOf(raw.save()).get('ema.g.up0.w')).toEqual(tensorsOf(t.save()).get('ema.g.up0.w'));

    const off = await trainer('tiny', 3);
    for (let i = 0; i < 4; i++) off.step(b);
    expect(off.save().tensors.some((x) => x.name.startsWith('ema.'))).toBe(false);
  }, 60_000);

  it('EMA compat: a checkpoint trained without one resumes under a profile that keeps one (its average starts from its weights), and back', async () => {
    const b = makeBatch(16, 2, 4);
    const plain = await trainer('tiny', 3);
    for (let i = 0; i < 3; i++) plain.step(b);
    const old = plain.save();
    expect(old.tensors.some((x) => x.name.startsWith('ema.'))).toBe(false);
    const withEma = await trainer(tiny({ emaDecay: 0.9 }), 3);
    withEma.load(deserializeCheckpoint(serializeCheckpoint(old)));
    expect(withEma.stepCount).toBe(3);
    const x = makeBatch(16, 1, 9).input;
    expect(withEma.predict(x)).toEqual(plain.predict(x)); // average = weights before any update
    expect(withEma.step(b)).toEqual(plain.step(b)); // weights and moments are the same run
    const next = withEma.save();
    expect(next.signature).toBe(profileSignature(tiny({ emaDecay: 0.9 })));
    expect(next.tensors.filter((t) => t.name.startsWith('ema.')).length).toBeGreaterThan(0);
    // And back: a plain profile resumes the EMA checkpoint, ignoring the average.
    const back = await trainer('tiny', 3);
    back.load(next);
    expect(back.step(b)).toEqual(plain.step(b));
    // A checkpoint whose signature says it kept an EMA must hold it.
    const torn = { ...next, tensors: next.tensors.filter((t) => t.name !== 'ema.g.up0.w') };
    expect(() => (withEma as Trainer).load(torn)).toThrow(expect.objectContaining({ code: 'PROJECT_CORRUPT' }));
    // Anything else in the signature still refuses.
    const other = await trainer(tiny({ emaDecay: 0.9, advWeight: 0.5 }), 3);
    expect(() => other.load(old)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  }, 60_000);

  it('reference input: 102 input channels (G and D), refuses a 99-channel input, and its checkpoints fit only a reference profile', async () => {
    const p = tiny({ reference: 'nearest-params' });
    const t = await trainer(p, 3);
    const R = 16;
    const rng = new Rng(5);
    const input = new Float32Array(2 * R * R * 102);
    const target = new Float32Array(2 * R * R * 3);
    rng.fillNormal(input, 0, 0.5);
    rng.fillNormal(target, 0, 0.5);
    const first = t.step({ input, target, n: 2 });
    for (let i = 0; i < 20; i++) t.step({ input, target, n: 2 });
    expect(t.step({ input, target, n: 2 }).lossL1).toBeLessThan(first.lossL1);
    expect(() => t.step(makeBatch(16, 2, 3))).toThrow(/expects 2x16x16x102/);
    const c = t.save();
    expect(c.variant).toEqual({ reference: 'nearest-params' });
    expect(c.tensors.find((x) => x.name === 'g.down0.w')!.shape).toEqual([4, 4, 102, 8]);
    expect(c.tensors.find((x) => x.name === 'd.l0.wc')!.shape).toEqual([4, 4, 102, 8]);
    const plain = await trainer('tiny', 3);
    expect(() => plain.load(c)).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
    const { networkVersion: _v, ...older } = { ...c, networkVersion: 2 };
    expect(() => t.load({ ...older, networkVersion: 2 })).toThrow(/network version 2\b.*changed in version 3/);
  }, 60_000);

  it('residual output: untrained, the network draws its reference channels exactly; it learns a correction; it needs a reference', async () => {
    const p = tiny({ reference: 'unwrapped-texture', residual: true });
    const t = await trainer(p, 3);
    const R = 16;
    const rng = new Rng(7);
    const input = new Float32Array(2 * R * R * 102);
    rng.fillNormal(input, 0, 0.3);
    const ref = new Float32Array(2 * R * R * 3);
    for (let i = 0; i < 2 * R * R; i++) for (let c = 0; c < 3; c++) ref[3 * i + c] = input[102 * i + 99 + c]!;
    expect(Array.from(t.predict(input, 2))).toEqual(Array.from(ref));
    // target: the reference, darkened: the correction is what is learned
    const target = ref.map((v) => v * 0.5 - 0.2);
    const first = t.step({ input, target, n: 2 });
    for (let i = 0; i < 30; i++) t.step({ input, target, n: 2 });
    expect(t.step({ input, target, n: 2 }).lossL1).toBeLessThan(first.lossL1);
    // the checkpoint file round-trips the boolean option
    const c = deserializeCheckpoint(serializeCheckpoint(t.save()));
    expect(c.variant).toEqual({ reference: 'unwrapped-texture', residual: true });
    expect(c.networkVersion).toBe(NETWORK_VERSION);
    expect(() => tiny({ residual: true })).toThrow(/residual needs a reference/);
    const { networkVersion: _v, ...older } = { ...c, networkVersion: 3 };
    expect(() => t.load({ ...older, networkVersion: 3 })).toThrow(/network version 3\b.*changed in version 4/);
  }, 60_000);

  it('EMA with a vanishing decay is the raw weights (emaDecay 0 itself means no EMA at all)', async () => {
    const t = await trainer(tiny({ emaDecay: 1e-30 }), 5);
    const b = makeBatch(16, 2, 6);
    for (let i = 0; i < 3; i++) t.step(b);
    const m = tensorsOf(t.save());
    for (const [name, data] of m) if (name.startsWith('g.')) expect(m.get(`ema.${name}`), name).toEqual(data);
  }, 60_000);

  it('resize-conv: trains on the wasm backend (L1 falls over 100 tiny steps)', async () => {
    const t = await trainer(tiny({ upsample: 'resize-conv' }), 2);
    expect(t.save().tensors.find((x) => x.name === 'g.up1.w')!.shape).toEqual([3, 3, 32, 16]);
    const b = makeBatch(16, 2, 3);
    const first = t.step(b);
    let last = first;
    for (let i = 1; i < 100; i++) last = t.step(b);
    expect(Number.isFinite(last.lossG) && Number.isFinite(last.lossD)).toBe(true);
    expect(last.lossL1).toBeLessThan(first.lossL1 * 0.85); // 0.72 here
  }, 120_000);

  it('advWeight 0: L1 only, D\u2019s weights and moments stay exactly as they were, G learns', async () => {
    const t = await trainer(tiny({ advWeight: 0 }), 4);
    const before = tensorsOf(t.save());
    const b = makeBatch(16, 2, 3);
    const l = [t.step(b), t.step(b), t.step(b)];
    expect(l.every((x) => x.lossD === 0 && x.lossAdv === 0)).toBe(true);
    expect(l[0]!.lossG).toBeCloseTo(100 * l[0]!.lossL1, 4);
    const after = tensorsOf(t.save());
    for (const [name, data] of after) {
      if (/(^|\.)d\./.test(name)) expect(data, name).toEqual(before.get(name));
    }
    expect(after.get('g.up0.w')).not.toEqual(before.get('g.up0.w'));
    expect(t.stepCount).toBe(3);
  }, 60_000);

  it('loss weights and learning rate: l1Weight scales G\u2019s objective; cosine reaches 0 at scheduleSteps + 1', async () => {
    const a = await trainer(tiny({ advWeight: 0, l1Weight: 10 }), 4);
    const l = a.step(makeBatch(16, 2, 3));
    expect(l.lossG).toBeCloseTo(10 * l.lossL1, 5);
    const cos = lrSchedule({ lr: 1e-3, lrSchedule: 'cosine', scheduleSteps: 4 });
    expect([1, 2, 3, 4, 5, 9].map((t) => Number(cos(t).toPrecision(6)))).toEqual([1e-3, 8.53553e-4, 5e-4, 1.46447e-4, 0, 0]);
    expect(lrSchedule(PROFILES.tiny)(7)).toBe(2e-4);
    // Steps 3 and later of a 2-step cosine schedule leave every weight where it was.
    const t = await trainer(tiny({ lrSchedule: 'cosine', scheduleSteps: 2 }), 4);
    const b = makeBatch(16, 2, 3);
    t.step(b);
    t.step(b);
    const w2 = tensorsOf(t.save());
    t.step(b);
    const w3 = tensorsOf(t.save());
    for (const [name, data] of w3) if (!name.startsWith('adam.')) expect(data, name).toEqual(w2.get(name));
  }, 60_000);

  it('network version: refuses a version-1 checkpoint of a profile whose network changed in version 2, naming both versions', async () => {
    const t = await trainer(tiny({ upsample: 'resize-conv' }));
    const c = t.save();
    expect(c.networkVersion).toBe(NETWORK_VERSION);
    const { networkVersion: _v, ...v1 } = c; // what a checkpoint without the field reads as
    const before = t.predict(makeBatch(16, 1, 9).input);
    let err: unknown;
    try {
      t.load(v1);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PortraitError);
    expect((err as PortraitError).code).toBe('BAD_REQUEST');
    expect((err as PortraitError).message).toMatch(new RegExp(`network version 1\\b.*network version ${NETWORK_VERSION}\\b.*changed in version 2`));
    expect((err as PortraitError).message).toContain("retrain, or keep using the older version's snapshot");
    expect(t.predict(makeBatch(16, 1, 9).input)).toEqual(before);
    // newer than this app
    expect(() => t.load({ ...c, networkVersion: NETWORK_VERSION + 1 })).toThrow(expect.objectContaining({ code: 'PROJECT_TOO_NEW' }));
  });

  it('network version: a version-1 checkpoint of an unchanged profile still loads and resumes', async () => {
    const a = await trainer('tiny', 42);
    const b = makeBatch(16, 2, 5);
    a.step(b);
    const { networkVersion: _v, ...v1 } = deserializeCheckpoint(serializeCheckpoint(a.save()));
    const c = await trainer('tiny', 7);
    c.load(v1);
    expect(c.step(b)).toEqual(a.step(b));
  });

  it('PORTRAIT_PROFILE_OVERRIDES: the trainer trains the variant, records it, and its checkpoints never mix with the plain profile', async () => {
    const prev = process.env[PROFILE_OVERRIDES_ENV];
    process.env[PROFILE_OVERRIDES_ENV] = '{"upsample":"resize-conv","emaDecay":0.999}';
    let v: Trainer;
    try {
      v = await trainer('tiny');
    } finally {
      if (prev === undefined) delete process.env[PROFILE_OVERRIDES_ENV];
      else process.env[PROFILE_OVERRIDES_ENV] = prev;
    }
    expect(v.profile.upsample).toBe('resize-conv');
    const c = v.save();
    expect(c.variant).toEqual({ upsample: 'resize-conv', emaDecay: 0.999 });
    expect(c.signature).toBe(profileSignature(v.profile));
    expect(c.signature).not.toBe(profileSignature(getProfile('tiny')));
    const plain = await trainer('tiny');
    expect(() => plain.load(c)).toThrow(/profile "tiny" \(16x16, upsample=resize-conv, emaDecay=0.999\), not "tiny" \(16x16\)/);
    expect(() => v.load(plain.save())).toThrow(expect.objectContaining({ code: 'BAD_REQUEST' }));
  });
});
