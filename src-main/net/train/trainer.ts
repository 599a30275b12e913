import * as tf from '@tensorflow/tfjs-core';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import type { BackendChoice, BackendId } from '../backend/select.js';
import { useBackend } from '../backend/use.js';
import type { Checkpoint, CheckpointTensor } from '../checkpoint/checkpoint.js';
import { assertCheckpointFits } from '../checkpoint/compat.js';
import { pinFilterGradInput } from '../kernels/conv-backprop-filter.js';
import { initParam } from '../model/init.js';
import { discriminator, discriminatorCond, generator, type DropoutSource } from '../model/network.js';
import { discriminatorParams, generatorParams, type ParamSpec } from '../model/params.js';
import {
  getProfile, inputChannels, NETWORK_VERSION, OUTPUT_CHANNELS, profileSignature, profileVariant, signatureEmaDecay, type NetProfile, type ProfileName,
} from '../model/profiles.js';
import { dropoutShapes } from '../model/generator-topology.js';
import { DeviceAdam, HostAdam, lrSchedule, type Moments, type Optimizer } from './adam.js';
import { emaDecayAt, emaUpdate } from './ema.js';
import { bceWithLogits, l1 } from './loss.js';
import { ensureFits } from './memory.js';
import { Rng } from './rng.js';

export { dropoutShapes };

export interface TrainBatch {
  /** n x H x W x 99, NHWC, values in [-1, 1] */
  input: Float32Array;
  /** n x H x W x 3, NHWC, values in [-1, 1] */
  target: Float32Array;
  n: number;
}
export interface StepLosses {
  /** generator objective: advWeight x adversarial + l1Weight x L1 (profile options; 1 and 100 by default) */
  lossG: number;
  /** discriminator objective: mean of real and fake BCE; 0 when advWeight is 0 (D is not run) */
  lossD: number;
  /** mean absolute error of the generated frames (before the update) */
  lossL1: number;
  /** G's adversarial BCE, unweighted; 0 when advWeight is 0 */
  lossAdv: number;
}
export interface Trainer {
  readonly profile: NetProfile;
  readonly backend: BackendChoice;
  readonly stepCount: number;
  step(batch: TrainBatch): StepLosses;
  /**
   * n x H x W x 3 in [-1, 1]; dropout off so the same input renders the same frame. With the
   * profile's emaDecay > 0 it uses the EMA weights, as the predict-only generator does (so
   * validation and samples show what preview and render will).
   */
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
  /**
   * Data-parallel replicas on the wasm/cpu backends (train/parallel.ts): a number, or 'auto' for
   * one per core. Default 1 (this trainer). Ignored by the native/GPU backends, which thread
   * inside their kernels. With more than 1, BatchNorm statistics are per replica's shard.
   */
  threads?: number | 'auto';
}

export async function createTrainer(profile: NetProfile | ProfileName, opts: TrainerOptions): Promise<Trainer> {
  const p = typeof profile === 'string' ? getProfile(profile) : profile;
  const choice = await useBackend(opts.backend, true);
  if (opts.threads !== undefined && opts.threads !== 1 && (choice.name === 'wasm' || choice.name === 'cpu')) {
    const { createParallelTrainer, defaultThreads } = await import('./parallel.js');
    const threads = opts.threads === 'auto' ? defaultThreads() : opts.threads;
    if (threads > 1) {
      return createParallelTrainer(p, { seed: opts.seed, backend: choice, threads, ...(opts.batch !== undefined ? { batch: opts.batch } : {}) });
    }
  }
  if (opts.batch !== undefined) ensureFits(p, opts.batch, choice.name);
  return new GanTrainer(p, choice, opts.seed);
}

let trainerCount = 0;

/** The single-thread trainer; exported inside net/ for the data-parallel trainer's replicas. */
export class GanTrainer implements Trainer {
  private readonly gSpecs: ParamSpec[];
  private readonly dSpecs: ParamSpec[];
  /** the specs the optimizer updates: G, and D unless advWeight is 0 */
  private readonly trainedSpecs: ParamSpec[];
  private readonly vars = new Map<string, tf.Variable>();
  private readonly adam: Optimizer;
  private rng: Rng;
  private steps = 0;
  /** EMA of G's weights (emaDecay > 0), created at the first update from the weights before it */
  private ema: Map<string, Float32Array> | null = null;
  /** backend tensors of the EMA weights for predict, rebuilt after each update or load */
  private emaTensors: Map<string, tf.Tensor> | null = null;

  constructor(readonly profile: NetProfile, readonly backend: BackendChoice, private readonly seed: number) {
    this.gSpecs = generatorParams(profile);
    this.dSpecs = discriminatorParams(profile);
    this.trainedSpecs = this.trainsDiscriminator ? [...this.gSpecs, ...this.dSpecs] : [...this.gSpecs];
    this.rng = new Rng(seed);
    // tfjs variable names are process-global: scope them so two trainers can coexist.
    const scope = `trainer${++trainerCount}`;
    for (const s of [...this.gSpecs, ...this.dSpecs]) {
      this.vars.set(s.name, tf.variable(tf.tensor(initParam(s, this.rng), [...s.shape]), true, `${scope}/${s.name}`));
    }
    const schedule = lrSchedule(profile);
    this.adam = backend.name === 'wasm' || backend.name === 'cpu'
      ? new HostAdam(this.vars, backend.name === 'cpu', schedule)
      : new DeviceAdam(this.vars, scope, schedule);
  }

  get stepCount(): number {
    return this.steps;
  }

  /** false with advWeight 0: G trains on L1 alone and D is neither run nor updated */
  get trainsDiscriminator(): boolean {
    return this.profile.advWeight > 0;
  }

  /**
   * One optimizer update, number steps + 1, then the EMA update (on the host, from the
   * optimizer's weights) and the step count. Both the single-thread step and the data-parallel
   * coordinator's update go through here.
   */
  private update(apply: (t: number) => void): void {
    const t = this.steps + 1;
    if (this.profile.emaDecay > 0 && !this.ema) {
      this.ema = new Map(this.gSpecs.map((s) => [s.name, new Float32Array(this.weights(s.name))]));
    }
    apply(t);
    if (this.ema) {
      const d = emaDecayAt(this.profile.emaDecay, t);
      for (const s of this.gSpecs) emaUpdate(this.ema.get(s.name)!, this.weights(s.name), d);
    }
    this.steps = t;
    this.dropEmaTensors();
  }

  private dropEmaTensors(): void {
    if (this.emaTensors) tf.dispose([...this.emaTensors.values()]);
    this.emaTensors = null;
  }

  /** G's EMA weights by name (a copy of the raw weights before the first update); null when emaDecay is 0 */
  emaWeights(name: string): Float32Array | null {
    if (this.profile.emaDecay <= 0) return null;
    return this.ema?.get(name) ?? this.weights(name);
  }

  /** the weights predict uses: the EMA's when the profile keeps one, else the live variables */
  private inferenceParams(): ReadonlyMap<string, tf.Tensor> {
    if (this.profile.emaDecay <= 0 || !this.ema) return this.vars;
    if (!this.emaTensors) {
      // A copy: the cpu backend keeps the array it is given, and the EMA changes in place.
      this.emaTensors = new Map(this.gSpecs.map((s) => [s.name, tf.tensor(this.ema!.get(s.name)!.slice(), [...s.shape])]));
    }
    return this.emaTensors;
  }

  private use(): void {
    if (tf.getBackend() !== this.backend.tfName) tf.setBackend(this.backend.tfName);
  }

  private tensors(n: number, input: Float32Array, target?: Float32Array): [tf.Tensor4D, tf.Tensor4D | null] {
    this.checkBatch(n, input, target);
    const R = this.profile.resolution;
    return [tf.tensor4d(input, [n, R, R, inputChannels(this.profile)]), target ? tf.tensor4d(target, [n, R, R, OUTPUT_CHANNELS]) : null];
  }

  /** throws BAD_REQUEST unless input (and target) hold n samples of this profile */
  checkBatch(n: number, input: Float32Array, target?: Float32Array): void {
    const R = this.profile.resolution;
    if (!Number.isInteger(n) || n < 1) throw new PortraitError('BAD_REQUEST', `batch size must be a positive integer, got ${n}`);
    const C = inputChannels(this.profile);
    if (input.length !== n * R * R * C) {
      throw new PortraitError('BAD_REQUEST', `input has ${input.length} values; profile ${this.profile.name} expects ${n}x${R}x${R}x${C}`);
    }
    if (target && target.length !== n * R * R * OUTPUT_CHANNELS) {
      throw new PortraitError('BAD_REQUEST', `target has ${target.length} values; profile ${this.profile.name} expects ${n}x${R}x${R}x${OUTPUT_CHANNELS}`);
    }
  }

  step(batch: TrainBatch): StepLosses {
    this.use();
    const [x, y] = this.tensors(batch.n, batch.input, batch.target);
    const dropout: DropoutSource = (_level, shape) => {
      const m = new Float32Array(shape.reduce((a, b) => a * b, 1));
      this.rng.fillDropoutMask(m, 0.5);
      return tf.tensor(m, shape);
    };
    try {
      const r = this.gradients(x, y!, dropout);
      try {
        this.update((t) => {
          this.adam.apply(r.gGrads, this.gSpecs.map((s) => s.name), t);
          if (this.trainsDiscriminator) this.adam.apply(r.dGrads, this.dSpecs.map((s) => s.name), t);
        });
      } finally {
        tf.dispose([...Object.values(r.gGrads), ...Object.values(r.dGrads)]);
      }
      return r.losses;
    } finally {
      tf.dispose([x, y!]);
    }
  }

  /**
   * The gradients of one step, G's and D's, before any update. D's gradient does not depend on
   * G's update (D sees the fake detached, computed before it), so computing both first and
   * then applying both is the same step as pix2pix's update-G-then-D. The caller disposes
   * the gradients. Used as is by the data-parallel trainer on each shard. With advWeight 0,
   * G's gradient is of l1Weight x L1 alone, D is not run and dGrads is empty.
   */
  gradients(x: tf.Tensor4D, target: tf.Tensor4D, dropout: DropoutSource): { gGrads: tf.NamedTensorMap; dGrads: tf.NamedTensorMap; losses: StepLosses } {
    const params = this.vars as ReadonlyMap<string, tf.Tensor>;
    const { advWeight, l1Weight } = this.profile;
    if (!this.trainsDiscriminator) {
      let rec: tf.Scalar | null = null;
      try {
        const g = tf.variableGrads(() => {
          const r = l1(generator(this.profile, params, x, dropout), target);
          rec = tf.keep(r);
          return tf.mul(r, l1Weight);
        }, this.gSpecs.map((s) => this.vars.get(s.name)!));
        const lossG = g.value.dataSync()[0]!;
        g.value.dispose();
        return { gGrads: g.grads, dGrads: {}, losses: { lossG, lossD: 0, lossL1: (rec as unknown as tf.Scalar).dataSync()[0]!, lossAdv: 0 } };
      } finally {
        if (rec) tf.dispose([rec]);
      }
    }
    let fake: tf.Tensor4D | null = null;
    let adv: tf.Scalar | null = null;
    let rec: tf.Scalar | null = null;
    // D's first-layer window features, computed once per step (a 99-channel full-resolution
    // conv, the largest forward conv with G's first): a constant for G's gradient (no G weight
    // in it), and in D's pass wrapped so the gradient still reaches d.l0.wc.
    const cond = tf.tidy(() => discriminatorCond(params, x));
    const unpin = this.backend.name === 'wasm' ? pinFilterGradInput(x.dataId) : null;
    const wc = this.vars.get('d.l0.wc')!;
    const condForD = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => ({
      value: tf.clone(cond),
      gradFunc: (dy: tf.Tensor | tf.Tensor[]) =>
        tf.engine().runKernel('Conv2DBackpropFilter', { x, dy: dy as tf.Tensor }, {
          strides: [2, 2], pad: 'same', dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: (args[0] as tf.Tensor).shape,
        } as never) as tf.Tensor,
    }));
    try {
      // G first, then D on the same (now detached) fake: one generator forward per step instead
      // of pix2pix's two; D still sees fakes of the current generator.
      const g = tf.variableGrads(() => {
        const f = generator(this.profile, params, x, dropout);
        const a = bceWithLogits(discriminator(this.profile, params, cond, f), 1);
        const r = l1(f, target);
        fake = tf.keep(f);
        adv = tf.keep(a);
        rec = tf.keep(r);
        return tf.add(advWeight === 1 ? a : tf.mul(a, advWeight), tf.mul(r, l1Weight));
      }, this.gSpecs.map((s) => this.vars.get(s.name)!));
      const lossG = g.value.dataSync()[0]!;
      g.value.dispose();
      const fakeIn = fake as unknown as tf.Tensor4D;
      const d = tf.variableGrads(() => {
        const c = condForD(wc) as tf.Tensor4D;
        const real = bceWithLogits(discriminator(this.profile, params, c, target), 1);
        const fk = bceWithLogits(discriminator(this.profile, params, c, fakeIn), 0);
        return tf.mul(tf.add(real, fk), 0.5);
      }, this.dSpecs.map((s) => this.vars.get(s.name)!));
      const lossD = d.value.dataSync()[0]!;
      d.value.dispose();
      const losses = { lossG, lossD, lossL1: (rec as unknown as tf.Scalar).dataSync()[0]!, lossAdv: (adv as unknown as tf.Scalar).dataSync()[0]! };
      return { gGrads: g.grads, dGrads: d.grads, losses };
    } finally {
      unpin?.();
      cond.dispose();
      if (fake) tf.dispose([fake]);
      if (adv) tf.dispose([adv]);
      if (rec) tf.dispose([rec]);
    }
  }

  // ---- hooks for the data-parallel trainer (train/parallel.ts); not part of Trainer ----

  /** every parameter in checkpoint order (G then D) with its size */
  paramLayout(): { name: string; shape: readonly number[]; size: number }[] {
    return [...this.gSpecs, ...this.dSpecs].map((s) => ({ name: s.name, shape: s.shape, size: s.shape.reduce((a, b) => a * b, 1) }));
  }

  /** the parameters a step updates (and shardGradients writes): G's, and D's unless advWeight is 0 */
  trainedParamNames(): string[] {
    return this.trainedSpecs.map((s) => s.name);
  }

  /** the tfjs variable name of a parameter (the key tf.variableGrads uses) */
  variableName(name: string): string {
    return this.vars.get(name)!.name;
  }

  /**
   * The dropout masks a step on `n` samples draws, in the order the generator asks for them,
   * from the trainer's RNG: a replica given slices of these draws exactly what one trainer
   * on the whole batch would.
   */
  drawDropoutMasks(n: number): Float32Array[] {
    return dropoutShapes(this.profile, n).map((shape) => {
      const m = new Float32Array(shape.reduce((a, b) => a * b, 1));
      this.rng.fillDropoutMask(m, 0.5);
      return m;
    });
  }

  /** one shard's gradients as plain arrays (trainedParamNames, in paramLayout order), dropout from given masks */
  shardGradients(input: Float32Array, target: Float32Array, n: number, masks: readonly Float32Array[], write: (name: string, g: Float32Array) => void): StepLosses {
    this.use();
    const [x, y] = this.tensors(n, input, target);
    const shapes = dropoutShapes(this.profile, n);
    const dropout: DropoutSource = (level, shape) => {
      if (shape.join('x') !== shapes[level]!.join('x')) throw new Error(`dropout level ${level}: shape ${shape} != ${shapes[level]}`);
      return tf.tensor(masks[level]!, shape);
    };
    try {
      const r = this.gradients(x, y!, dropout);
      try {
        for (const s of this.trainedSpecs) {
          const g = (r.gGrads[this.variableName(s.name)] ?? r.dGrads[this.variableName(s.name)]);
          if (!g) throw new Error(`no gradient for ${s.name}`);
          write(s.name, g.dataSync() as Float32Array);
        }
      } finally {
        tf.dispose([...Object.values(r.gGrads), ...Object.values(r.dGrads)]);
      }
      return r.losses;
    } finally {
      tf.dispose([x, y!]);
    }
  }

  /** one Adam update from gradients already averaged over the batch (host optimizer only) */
  applyGradientArrays(grads: ReadonlyMap<string, Float32Array>): void {
    this.use();
    const adam = this.adam;
    if (!(adam instanceof HostAdam)) throw new Error('applyGradientArrays needs the host optimizer (wasm/cpu)');
    this.update((t) => adam.applyArrays(grads, this.trainedParamNames(), t));
  }

  /** current weights of a parameter (host optimizer: its master copy, no read from the backend) */
  weights(name: string): Float32Array {
    if (this.adam instanceof HostAdam) return this.adam.getWeights(name);
    return this.vars.get(name)!.dataSync() as Float32Array;
  }

  /** overwrites weights (a replica receiving the coordinator's); moments untouched */
  setWeights(get: (name: string) => Float32Array): void {
    this.use();
    const copy = this.backend.name === 'cpu'; // the cpu backend keeps the array it is given
    for (const [name, v] of this.vars) {
      const w = get(name);
      tf.tidy(() => v.assign(tf.tensor(copy ? w.slice() : w, v.shape)));
    }
  }

  predict(input: Float32Array, n = 1): Float32Array {
    this.use();
    const [x] = this.tensors(n, input);
    try {
      const params = this.inferenceParams();
      const out = tf.tidy(() => generator(this.profile, params, x, () => null));
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
    for (const s of this.gSpecs) {
      const e = this.emaWeights(s.name);
      if (e) tensors.push({ name: `ema.${s.name}`, shape: [...s.shape], data: new Float32Array(e) });
    }
    const variant = profileVariant(this.profile);
    return {
      profile: this.profile.name,
      signature: profileSignature(this.profile),
      networkVersion: NETWORK_VERSION,
      ...(Object.keys(variant).length ? { variant: variant as Record<string, string | number> } : {}),
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
    assertCheckpointFits(ckpt, this.profile); // network version, then profile signature
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
    // A checkpoint trained without an EMA (signatureEmaDecay 0) starts its average from its
    // weights; one trained with it must hold all of it.
    const withEma = this.profile.emaDecay > 0;
    const emaFromCkpt = withEma && signatureEmaDecay(ckpt.signature) > 0;
    if (emaFromCkpt) {
      for (const s of this.gSpecs) {
        const t = byName.get(`ema.${s.name}`);
        if (!t || t.shape.join('x') !== s.shape.join('x')) {
          throw new PortraitError('PROJECT_CORRUPT', `The checkpoint is missing or has a wrong shape for ema.${s.name}; start a new training`);
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
    this.ema = withEma
      ? new Map(this.gSpecs.map((s) => [s.name, new Float32Array(byName.get(emaFromCkpt ? `ema.${s.name}` : s.name)!.data)]))
      : null;
    this.dropEmaTensors();
    this.steps = ckpt.step;
    this.rng = new Rng(ckpt.rng);
  }

  dispose(): void {
    this.dropEmaTensors();
    for (const v of this.vars.values()) v.dispose();
    this.adam.dispose();
  }
}
