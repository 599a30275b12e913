import * as tf from '@tensorflow/tfjs-core';
import type { ProfileOptions } from '../model/profiles.js';

/** pix2pix's Adam; `lr` is the default of the profiles' `lr` option, which the optimizers use. */
export const ADAM = { lr: 2e-4, beta1: 0.5, beta2: 0.999, eps: 1e-8 } as const;

/** The learning rate of update t (1-based), before Adam's bias correction. */
export type LrScheduleFn = (t: number) => number;

/**
 * A profile's schedule: constant `lr`, or cosine from `lr` at step 1 down to 0 at step
 * scheduleSteps + 1, and 0 after that (set scheduleSteps to the run's length).
 */
export function lrSchedule(p: Pick<ProfileOptions, 'lr' | 'lrSchedule' | 'scheduleSteps'>): LrScheduleFn {
  const base = p.lr;
  if (p.lrSchedule === 'cosine') {
    const S = p.scheduleSteps;
    return (t) => base * 0.5 * (1 + Math.cos((Math.PI * Math.min(Math.max(t - 1, 0), S)) / S));
  }
  return () => base;
}
const CONSTANT: LrScheduleFn = () => ADAM.lr;

export interface Moments {
  m: Float32Array;
  v: Float32Array;
}

/**
 * Adam over named variables, written out (not tf.train.adam) so its moments are plain named
 * arrays that go into checkpoints and come back bit-exact on resume.
 */
export interface Optimizer {
  /**
   * Applies update number `t` (1-based: the training step; G's and D's variables are each
   * updated once per step) to the named variables, whose gradients `grads` holds under the
   * variables' tfjs names (as tf.variableGrads returns them).
   */
  apply(grads: tf.NamedTensorMap, names: readonly string[], t: number): void;
  getMoments(name: string): Moments;
  /** restores moments, and re-reads weights the trainer has just assigned */
  setState(moments: ReadonlyMap<string, Moments>): void;
  dispose(): void;
}

function lrAt(schedule: LrScheduleFn, t: number): number {
  const { beta1: b1, beta2: b2 } = ADAM;
  const lr = schedule(t);
  return (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
}

/**
 * For wasm/cpu: one JS loop per variable instead of ~12 tensor ops (77 variables -> ~900 kernel
 * calls, ~30 ms of a 0.3 s step). Moments and a master copy of the weights live in JS; each
 * step reads the gradient once and writes the weights once.
 */
export class HostAdam implements Optimizer {
  private readonly state = new Map<string, { m: Float32Array; v: Float32Array; w: Float32Array }>();

  constructor(
    private readonly vars: ReadonlyMap<string, tf.Variable>,
    private readonly copyOnWrite: boolean,
    private readonly schedule: LrScheduleFn = CONSTANT,
  ) {
    for (const [name, w] of vars) {
      const n = w.size;
      this.state.set(name, { m: new Float32Array(n), v: new Float32Array(n), w: new Float32Array(w.dataSync() as Float32Array) });
    }
  }

  apply(grads: tf.NamedTensorMap, names: readonly string[], t: number): void {
    for (const name of names) {
      const variable = this.vars.get(name)!;
      const g = grads[variable.name];
      if (!g) throw new Error(`no gradient for ${name}`);
      this.update(name, g.dataSync() as Float32Array, t);
    }
  }

  /** the same update from gradients held as arrays by parameter name (data-parallel training) */
  applyArrays(grads: ReadonlyMap<string, Float32Array>, names: readonly string[], t: number): void {
    for (const name of names) {
      const g = grads.get(name);
      if (!g) throw new Error(`no gradient for ${name}`);
      this.update(name, g, t);
    }
  }

  private update(name: string, gv: Float32Array, t: number): void {
    const { beta1: b1, beta2: b2, eps } = ADAM;
    const lrT = lrAt(this.schedule, t);
    const variable = this.vars.get(name)!;
    const { m, v, w } = this.state.get(name)!;
    if (gv.length !== w.length) throw new Error(`gradient of ${name} has ${gv.length} values, expected ${w.length}`);
    for (let i = 0; i < w.length; i++) {
      const gi = gv[i]!;
      const mi = b1 * m[i]! + (1 - b1) * gi;
      const vi = b2 * v[i]! + (1 - b2) * gi * gi;
      m[i] = mi;
      v[i] = vi;
      w[i] = w[i]! - (lrT * mi) / (Math.sqrt(vi) + eps);
    }
    // The cpu backend keeps the array it is given; wasm copies it into its heap.
    tf.tidy(() => variable.assign(tf.tensor(this.copyOnWrite ? w.slice() : w, variable.shape)));
  }

  /** the master copy of a variable's weights (what the backend holds after the last update) */
  getWeights(name: string): Float32Array {
    return this.state.get(name)!.w;
  }

  getMoments(name: string): Moments {
    const s = this.state.get(name)!;
    return { m: s.m, v: s.v };
  }

  setState(moments: ReadonlyMap<string, Moments>): void {
    for (const [name, s] of this.state) {
      const src = moments.get(name)!;
      s.m.set(src.m);
      s.v.set(src.v);
      s.w.set(this.vars.get(name)!.dataSync() as Float32Array);
    }
  }

  dispose(): void {
    this.state.clear();
  }
}

/** For native/GPU backends: moments stay on the device, updates are tensor ops. */
export class DeviceAdam implements Optimizer {
  private readonly m = new Map<string, tf.Variable>();
  private readonly v = new Map<string, tf.Variable>();

  constructor(private readonly vars: ReadonlyMap<string, tf.Variable>, scope: string, private readonly schedule: LrScheduleFn = CONSTANT) {
    for (const [name, w] of vars) {
      this.m.set(name, tf.variable(tf.zerosLike(w), false, `${scope}/adam.m.${name}`));
      this.v.set(name, tf.variable(tf.zerosLike(w), false, `${scope}/adam.v.${name}`));
    }
  }

  apply(grads: tf.NamedTensorMap, names: readonly string[], t: number): void {
    const { beta1: b1, beta2: b2, eps } = ADAM;
    const lrT = lrAt(this.schedule, t);
    tf.tidy(() => {
      for (const name of names) {
        const w = this.vars.get(name)!;
        const g = grads[w.name];
        if (!g) throw new Error(`no gradient for ${name}`);
        const m = this.m.get(name)!;
        const v = this.v.get(name)!;
        const m1 = tf.add(tf.mul(m, b1), tf.mul(g, 1 - b1));
        const v1 = tf.add(tf.mul(v, b2), tf.mul(tf.square(g), 1 - b2));
        m.assign(m1);
        v.assign(v1);
        w.assign(tf.sub(w, tf.mul(tf.div(m1, tf.add(tf.sqrt(v1), eps)), lrT)));
      }
    });
  }

  getMoments(name: string): Moments {
    return { m: this.m.get(name)!.dataSync() as Float32Array, v: this.v.get(name)!.dataSync() as Float32Array };
  }

  setState(moments: ReadonlyMap<string, Moments>): void {
    for (const [name, src] of moments) {
      const m = this.m.get(name)!;
      const v = this.v.get(name)!;
      tf.tidy(() => {
        m.assign(tf.tensor(src.m, m.shape));
        v.assign(tf.tensor(src.v, v.shape));
      });
    }
  }

  dispose(): void {
    for (const t of this.m.values()) t.dispose();
    for (const t of this.v.values()) t.dispose();
  }
}
