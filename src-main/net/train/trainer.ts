import * as tf from '@tensorflow/tfjs-core';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import { selectBackend, type BackendChoice, type BackendId } from '../backend/select.js';
import type { Checkpoint, CheckpointTensor } from '../checkpoint/checkpoint.js';
import { initParam } from '../model/init.js';
import { discriminator, discriminatorCond, generator, type DropoutSource } from '../model/network.js';
import { discriminatorParams, generatorParams, type ParamSpec } from '../model/params.js';
import { getProfile, INPUT_CHANNELS, OUTPUT_CHANNELS, profileSignature, type NetProfile, type ProfileName } from '../model/profiles.js';
import { DeviceAdam, HostAdam, type Moments, type Optimizer } from './adam.js';
import { bceWithLogits, l1, L1_WEIGHT } from './loss.js';
import { ensureFits } from './memory.js';
import { Rng } from './rng.js';

export interface TrainBatch {
  /** n x H x W x 99, NHWC, values in [-1, 1] */
  input: Float32Array;
  /** n x H x W x 3, NHWC, values in [-1, 1] */
  target: Float32Array;
  n: number;
}
export interface StepLosses {
  /** generator objective: adversarial + 100 x L1 */
  lossG: number;
  /** discriminator objective: mean of real and fake BCE */
  lossD: number;
  /** mean absolute error of the generated frames (before the update) */
  lossL1: number;
  lossAdv: number;
}
export interface Trainer {
  readonly profile: NetProfile;
  readonly backend: BackendChoice;
  readonly stepCount: number;
  step(batch: TrainBatch): StepLosses;
  /** n x H x W x 3 in [-1, 1]; dropout off so the same input renders the same frame */
  predict(input: Float32Array, n?: number): Float32Array;
  /** epoch order drawn from the checkpointed RNG, so a resumed run sees the same order */
  permutation(n: number): Uint32Array;
  save(): Checkpoint;
  load(ckpt: Checkpoint): void;
  dispose(): void;
}
export interface TrainerOptions {
  /** a backend id to insist on (fails if it cannot load), or a choice already made */
  backend?: BackendId | BackendChoice;
  seed: number;
  /** when given, the memory estimate is checked first: too big -> PortraitError with a batch that fits */
  batch?: number;
}

export async function createTrainer(profile: NetProfile | ProfileName, opts: TrainerOptions): Promise<Trainer> {
  const p = typeof profile === 'string' ? getProfile(profile) : profile;
  let choice: BackendChoice;
  if (typeof opts.backend === 'object') {
    choice = opts.backend;
    if (!(await tf.setBackend(choice.tfName))) throw new PortraitError('UNSUPPORTED', `Backend ${choice.name} is no longer available`);
  } else {
    choice = await selectBackend({ forTraining: true, ...(opts.backend ? { prefer: opts.backend } : {}) });
    if (opts.backend && choice.name !== opts.backend) {
      const why = choice.tried.find((t) => t.name === opts.backend)?.reason ?? 'unknown';
      throw new PortraitError('UNSUPPORTED', `The ${opts.backend} backend could not be loaded: ${why}`);
    }
  }
  if (opts.batch !== undefined) ensureFits(p, opts.batch, choice.name);
  return new GanTrainer(p, choice, opts.seed);
}

let trainerCount = 0;

class GanTrainer implements Trainer {
  private readonly gSpecs: ParamSpec[];
  private readonly dSpecs: ParamSpec[];
  private readonly vars = new Map<string, tf.Variable>();
  private readonly adam: Optimizer;
  private rng: Rng;
  private steps = 0;

  constructor(readonly profile: NetProfile, readonly backend: BackendChoice, private readonly seed: number) {
    this.gSpecs = generatorParams(profile);
    this.dSpecs = discriminatorParams(profile);
    this.rng = new Rng(seed);
    // tfjs variable names are process-global: scope them so two trainers can coexist.
    const scope = `trainer${++trainerCount}`;
    for (const s of [...this.gSpecs, ...this.dSpecs]) {
      this.vars.set(s.name, tf.variable(tf.tensor(initParam(s, this.rng), [...s.shape]), true, `${scope}/${s.name}`));
    }
    this.adam = backend.name === 'wasm' || backend.name === 'cpu'
      ? new HostAdam(this.vars, backend.name === 'cpu')
      : new DeviceAdam(this.vars, scope);
  }

  get stepCount(): number {
    return this.steps;
  }

  private use(): void {
    if (tf.getBackend() !== this.backend.tfName) tf.setBackend(this.backend.tfName);
  }

  private tensors(n: number, input: Float32Array, target?: Float32Array): [tf.Tensor4D, tf.Tensor4D | null] {
    const R = this.profile.resolution;
    if (!Number.isInteger(n) || n < 1) throw new PortraitError('BAD_REQUEST', `batch size must be a positive integer, got ${n}`);
    if (input.length !== n * R * R * INPUT_CHANNELS) {
      throw new PortraitError('BAD_REQUEST', `input has ${input.length} values; profile ${this.profile.name} expects ${n}x${R}x${R}x${INPUT_CHANNELS}`);
    }
    if (target && target.length !== n * R * R * OUTPUT_CHANNELS) {
      throw new PortraitError('BAD_REQUEST', `target has ${target.length} values; profile ${this.profile.name} expects ${n}x${R}x${R}x${OUTPUT_CHANNELS}`);
    }
    return [tf.tensor4d(input, [n, R, R, INPUT_CHANNELS]), target ? tf.tensor4d(target, [n, R, R, OUTPUT_CHANNELS]) : null];
  }

  step(batch: TrainBatch): StepLosses {
    this.use();
    const [x, y] = this.tensors(batch.n, batch.input, batch.target);
    const target = y!;
    const params = this.vars as ReadonlyMap<string, tf.Tensor>;
    const dropout: DropoutSource = (_level, shape) => {
      const m = new Float32Array(shape.reduce((a, b) => a * b, 1));
      this.rng.fillDropoutMask(m, 0.5);
      return tf.tensor(m, shape);
    };
    const gNames = this.gSpecs.map((s) => s.name);
    const dNames = this.dSpecs.map((s) => s.name);
    let fake: tf.Tensor4D | null = null;
    let adv: tf.Scalar | null = null;
    let rec: tf.Scalar | null = null;
    try {
      // G first, then D on the same (now detached) fake: one generator forward per step instead
      // of pix2pix's two; D still sees fakes of the current generator.
      const g = tf.variableGrads(() => {
        const f = generator(this.profile, params, x, dropout);
        const a = bceWithLogits(discriminator(this.profile, params, discriminatorCond(params, x), f), 1);
        const r = l1(f, target);
        fake = tf.keep(f);
        adv = tf.keep(a);
        rec = tf.keep(r);
        return tf.add(a, tf.mul(r, L1_WEIGHT));
      }, gNames.map((n) => this.vars.get(n)!));
      this.adam.apply(g.grads, gNames, this.steps + 1);
      const lossG = g.value.dataSync()[0]!;
      g.value.dispose();
      tf.dispose(Object.values(g.grads));
      const fakeIn = fake as unknown as tf.Tensor4D;
      const d = tf.variableGrads(() => {
        const c = discriminatorCond(params, x);
        const real = bceWithLogits(discriminator(this.profile, params, c, target), 1);
        const fk = bceWithLogits(discriminator(this.profile, params, c, fakeIn), 0);
        return tf.mul(tf.add(real, fk), 0.5);
      }, dNames.map((n) => this.vars.get(n)!));
      this.adam.apply(d.grads, dNames, this.steps + 1);
      const lossD = d.value.dataSync()[0]!;
      d.value.dispose();
      tf.dispose(Object.values(d.grads));
      this.steps++;
      return { lossG, lossD, lossL1: (rec as unknown as tf.Scalar).dataSync()[0]!, lossAdv: (adv as unknown as tf.Scalar).dataSync()[0]! };
    } finally {
      tf.dispose([x, target]);
      if (fake) tf.dispose([fake]);
      if (adv) tf.dispose([adv]);
      if (rec) tf.dispose([rec]);
    }
  }

  predict(input: Float32Array, n = 1): Float32Array {
    this.use();
    const [x] = this.tensors(n, input);
    try {
      const out = tf.tidy(() => generator(this.profile, this.vars as ReadonlyMap<string, tf.Tensor>, x, () => null));
      const v = out.dataSync() as Float32Array;
      out.dispose();
      return v;
    } finally {
      x.dispose();
    }
  }

  permutation(n: number): Uint32Array {
    return this.rng.permutation(n);
  }

  save(): Checkpoint {
    this.use();
    const tensors: CheckpointTensor[] = [];
    const add = (name: string, t: tf.Tensor): void => {
      tensors.push({ name, shape: [...t.shape], data: new Float32Array(t.dataSync() as Float32Array) });
    };
    for (const [name, v] of this.vars) add(name, v);
    for (const name of this.vars.keys()) {
      const { m, v } = this.adam.getMoments(name);
      tensors.push({ name: `adam.m.${name}`, shape: [...this.vars.get(name)!.shape], data: new Float32Array(m) });
      tensors.push({ name: `adam.v.${name}`, shape: [...this.vars.get(name)!.shape], data: new Float32Array(v) });
    }
    return {
      profile: this.profile.name,
      signature: profileSignature(this.profile),
      resolution: this.profile.resolution,
      backend: this.backend.name,
      step: this.steps,
      seed: this.seed,
      rng: this.rng.state(),
      createdAt: new Date().toISOString(),
      tensors,
    };
  }

  load(ckpt: Checkpoint): void {
    this.use();
    const sig = profileSignature(this.profile);
    if (ckpt.signature !== sig) {
      throw new PortraitError(
        'BAD_REQUEST',
        `This checkpoint was trained with profile "${ckpt.profile}" (${ckpt.resolution}x${ckpt.resolution}), ` +
          `not "${this.profile.name}" (${this.profile.resolution}x${this.profile.resolution}); resume with profile "${ckpt.profile}" or start a new training`,
        { checkpoint: ckpt.signature, expected: sig },
      );
    }
    const byName = new Map(ckpt.tensors.map((t) => [t.name, t]));
    // Validate everything before assigning anything, so a bad checkpoint leaves the trainer intact.
    for (const [name, v] of this.vars) {
      for (const key of [name, `adam.m.${name}`, `adam.v.${name}`]) {
        const t = byName.get(key);
        if (!t || t.shape.join('x') !== v.shape.join('x')) {
          throw new PortraitError('PROJECT_CORRUPT', `The checkpoint is missing or has a wrong shape for ${key}; start a new training`);
        }
      }
    }
    const moments = new Map<string, Moments>();
    for (const [name, v] of this.vars) {
      const t = byName.get(name)!;
      tf.tidy(() => v.assign(tf.tensor(new Float32Array(t.data), t.shape)));
      moments.set(name, { m: byName.get(`adam.m.${name}`)!.data, v: byName.get(`adam.v.${name}`)!.data });
    }
    this.adam.setState(moments);
    this.steps = ckpt.step;
    this.rng = new Rng(ckpt.rng);
  }

  dispose(): void {
    for (const v of this.vars.values()) v.dispose();
    this.adam.dispose();
  }
}
