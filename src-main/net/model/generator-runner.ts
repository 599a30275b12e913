/**
 * The generator alone, for inference (preview, render, evaluation): built from a checkpoint's
 * generator weights (its EMA weights when the profile keeps an EMA), with no discriminator,
 * no optimizer state and no gradient tape. The same forward as GanTrainer.predict, on the
 * same backend choice, so a frame renders bit for bit as the trainer predicts it.
 */
import * as tf from '@tensorflow/tfjs-core';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import type { BackendChoice, BackendId } from '../backend/select.js';
import { useBackend } from '../backend/use.js';
import type { Checkpoint } from '../checkpoint/checkpoint.js';
import { checkpointProfile } from '../checkpoint/compat.js';
import { generator } from './network.js';
import { generatorParams } from './params.js';
import { inputChannels, type NetProfile } from './profiles.js';

export interface GeneratorRunner {
  /** the checkpoint's profile, variant included */
  readonly profile: NetProfile;
  readonly backend: BackendChoice;
  /** the checkpoint's training step */
  readonly step: number;
  readonly seed: number;
  /** true when the weights are the checkpoint's EMA (profile emaDecay > 0) */
  readonly usesEma: boolean;
  /**
   * One frame per pass: BatchNorm uses the batch's statistics (pix2pix at test time), so a
   * frame batched with others would depend on them. `window` is R x R x 99 (NHWC) in [-1, 1];
   * returns R x R x 3 in [-1, 1].
   */
  predict(window: Float32Array): Float32Array;
  dispose(): void;
}

export interface GeneratorOptions {
  /** a backend id to insist on, or a choice already made (e.g. the previous runner's) */
  backend?: BackendId | BackendChoice;
}

/**
 * Builds the generator of a checkpoint. The profile comes from the checkpoint header (named
 * profile + recorded variant), checked like a trainer's load: network version, signature,
 * and every tensor's shape. Nothing of `ckpt` is retained: the caller may drop it, and with it
 * the discriminator and the Adam moments.
 */
export async function createGenerator(ckpt: Checkpoint, opts: GeneratorOptions = {}): Promise<GeneratorRunner> {
  const profile = checkpointProfile(ckpt);
  const usesEma = profile.emaDecay > 0;
  const specs = generatorParams(profile);
  const byName = new Map(ckpt.tensors.map((t) => [t.name, t]));
  for (const s of specs) {
    const key = usesEma ? `ema.${s.name}` : s.name;
    const t = byName.get(key);
    if (!t || t.shape.join('x') !== s.shape.join('x')) {
      throw new PortraitError('PROJECT_CORRUPT', `The checkpoint is missing or has a wrong shape for ${key}; resume from an earlier checkpoint or start training again`);
    }
  }
  // The trainer's backend choice (with its smoke test), so preview, render and the training
  // job's own samples run on the same kernels.
  const backend = await useBackend(opts.backend, true);
  const params = new Map<string, tf.Tensor>();
  for (const s of specs) {
    const t = byName.get(usesEma ? `ema.${s.name}` : s.name)!;
    // A copy of just this tensor: the cpu backend keeps the array it is given, and a view
    // would keep the whole checkpoint payload alive.
    params.set(s.name, tf.tensor(new Float32Array(t.data), [...s.shape]));
  }
  return new Runner(profile, backend, ckpt.step, ckpt.seed, usesEma, params);
}

class Runner implements GeneratorRunner {
  private disposed = false;

  constructor(
    readonly profile: NetProfile,
    readonly backend: BackendChoice,
    readonly step: number,
    readonly seed: number,
    readonly usesEma: boolean,
    private readonly params: Map<string, tf.Tensor>,
  ) {}

  predict(window: Float32Array): Float32Array {
    if (this.disposed) throw new Error('GeneratorRunner: used after dispose');
    const R = this.profile.resolution;
    const C = inputChannels(this.profile);
    if (window.length !== R * R * C) {
      throw new PortraitError('BAD_REQUEST', `input has ${window.length} values; profile ${this.profile.name} expects 1x${R}x${R}x${C}`);
    }
    if (tf.getBackend() !== this.backend.tfName) tf.setBackend(this.backend.tfName);
    const x = tf.tensor4d(window, [1, R, R, C]);
    try {
      const out = tf.tidy(() => generator(this.profile, this.params, x, () => null));
      const v = out.dataSync() as Float32Array;
      out.dispose();
      return v;
    } finally {
      x.dispose();
    }
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    tf.dispose([...this.params.values()]);
    this.params.clear();
  }
}
