import '@tensorflow/tfjs';
import { afterEach, describe, expect, it } from 'vitest';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import { deserializeCheckpoint, serializeCheckpoint, type Checkpoint } from '../checkpoint/checkpoint.js';
import { Rng } from '../train/rng.js';
import { createTrainer, type Trainer, type TrainBatch } from '../train/trainer.js';
import { createGenerator, type GeneratorRunner } from './generator-runner.js';
import { NETWORK_VERSION, PROFILES, profileAtVersion, profileSignature, withOptions, type NetProfile, type ProfileOverrides } from './profiles.js';

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

const open: { dispose(): void }[] = [];
afterEach(() => {
  while (open.length) open.pop()!.dispose();
});
async function trained(p: NetProfile, steps: number): Promise<Trainer> {
  const t = await createTrainer(p, { backend: 'wasm', seed: 3 });
  open.push(t);
  const b = makeBatch(p.resolution, 2, 4);
  for (let i = 0; i < steps; i++) t.step(b);
  return t;
}
async function runner(c: Checkpoint): Promise<GeneratorRunner> {
  const g = await createGenerator(deserializeCheckpoint(serializeCheckpoint(c)), { backend: 'wasm' });
  open.push(g);
  return g;
}
const tiny = (o: ProfileOverrides): NetProfile => withOptions(PROFILES.tiny, o);
const frames = [9, 10, 11].map((s) => makeBatch(16, 1, s).input);

describe('predict-only generator', () => {
  it.each([
    ['tiny', {}],
    ['tiny, resize-conv', { upsample: 'resize-conv' }],
    ['tiny, EMA', { emaDecay: 0.9 }],
  ] as [string, ProfileOverrides][])('%s: the same output, bit for bit, as the trainer\'s predict on the same checkpoint', async (_label, o) => {
    const t = await trained(tiny(o), 4);
    const g = await runner(t.save());
    expect(g.profile).toEqual(t.profile);
    expect(g.step).toBe(4);
    expect(g.usesEma).toBe((o.emaDecay ?? 0) > 0);
    for (const x of frames) expect(g.predict(x)).toEqual(t.predict(x, 1));
    // ... and as a trainer that loads the checkpoint (the path the studio took before)
    const back = await createTrainer(t.profile, { backend: 'wasm', seed: 99 });
    open.push(back);
    back.load(t.save());
    expect(g.predict(frames[0]!)).toEqual(back.predict(frames[0]!, 1));
  }, 60_000);

  it('holds only the generator: the EMA weights when kept (not the raw ones), no discriminator, no moments', async () => {
    const t = await trained(tiny({ emaDecay: 0.9 }), 4);
    const c = t.save();
    const g = await runner(c);
    // Swap the EMA for the raw weights: a different generator, so the runner really reads ema.*.
    const raw: Checkpoint = { ...c, tensors: c.tensors.map((x) => (x.name.startsWith('ema.') ? { ...x, data: c.tensors.find((y) => y.name === x.name.slice(4))!.data } : x)) };
    const r = await runner(raw);
    expect(r.predict(frames[0]!)).not.toEqual(g.predict(frames[0]!));
    // Only G's tensors are needed: drop everything else and it still builds.
    const onlyG: Checkpoint = { ...c, tensors: c.tensors.filter((x) => x.name.startsWith('ema.g.')) };
    const s = await runner(onlyG);
    expect(s.predict(frames[1]!)).toEqual(g.predict(frames[1]!));
  }, 60_000);

  it('a cpu checkpoint from before the profile kept an EMA (version 2) renders with its raw weights', async () => {
    expect(PROFILES.cpu.emaDecay).toBeGreaterThan(0);
    const t = await createTrainer(withOptions(profileAtVersion('cpu', 2), { emaDecay: 0 }), { seed: 2, backend: 'wasm' });
    // What version 2 wrote for the cpu profile: no variant, a signature without emaDecay, no ema.* tensors.
    const { variant: _v, ...c } = { ...t.save(), networkVersion: 2 };
    expect(c.signature).toBe('cpu:128:g16-32-64-96-96-96-96:r1:d16-32-64-64/3');
    expect(c.signature).not.toBe(profileSignature(PROFILES.cpu));
    const g = await createGenerator(c, { backend: 'wasm' });
    expect(g.usesEma).toBe(false);
    const R = PROFILES.cpu.resolution;
    const x = new Float32Array(R * R * 99);
    new Rng(4).fillNormal(x, 0, 0.5);
    expect(g.predict(x)).toEqual(t.predict(x));
    g.dispose();
    t.dispose();
    expect(NETWORK_VERSION).toBeGreaterThan(2);
  }, 60_000);

  it('a cpu checkpoint of version 3 (the window alone, written without a variant) still renders as it was trained', async () => {
    const v3 = profileAtVersion('cpu', 3);
    expect(v3).toMatchObject({ reference: 'none', residual: false, emaDecay: 0.999 });
    const t = await createTrainer(v3, { seed: 3, backend: 'wasm' });
    // What version 3 wrote: no variant (it was the profile's default then).
    const { variant: _v, ...c } = { ...t.save(), networkVersion: 3 };
    const g = await createGenerator(deserializeCheckpoint(serializeCheckpoint(c)), { backend: 'wasm' });
    expect(g.profile).toMatchObject({ reference: 'none', residual: false });
    const R = v3.resolution;
    const x = new Float32Array(R * R * 99);
    new Rng(5).fillNormal(x, 0, 0.5);
    expect(g.predict(x)).toEqual(t.predict(x));
    g.dispose();
    t.dispose();
  }, 60_000);

  it('refuses a version-1 checkpoint of a profile whose network changed, a wrong input size, and a damaged checkpoint', async () => {
    const t = await trained(tiny({ upsample: 'resize-conv' }), 1);
    const { networkVersion: _v, ...v1 } = t.save();
    await expect(createGenerator(v1, { backend: 'wasm' })).rejects.toThrow(new RegExp(`network version 1\\b.*network version ${NETWORK_VERSION}\\b.*changed in version 2.*retrain, or keep using the older version's snapshot`));
    const g = await runner(t.save());
    expect(() => g.predict(new Float32Array(10))).toThrow(PortraitError);
    const broken: Checkpoint = { ...t.save(), tensors: t.save().tensors.filter((x) => x.name !== 'g.up1.w') };
    await expect(createGenerator(broken, { backend: 'wasm' })).rejects.toThrow(expect.objectContaining({ code: 'PROJECT_CORRUPT' }));
    g.dispose();
    expect(() => g.predict(frames[0]!)).toThrow(/after dispose/);
  }, 60_000);
});
