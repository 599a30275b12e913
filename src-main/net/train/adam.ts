import * as tf from '@tensorflow/tfjs-core';

export const ADAM = { lr: 2e-4, beta1: 0.5, beta2: 0.999, eps: 1e-8 } as const;

/**
 * Adam over named variables, written out (not tf.train.adam) so its moments are plain named
 * tensors that go into checkpoints and come back bit-exact on resume.
 */
export class Adam {
  readonly m = new Map<string, tf.Variable>();
  readonly v = new Map<string, tf.Variable>();
  constructor(private readonly vars: ReadonlyMap<string, tf.Variable>, scope: string) {
    for (const [name, w] of vars) {
      this.m.set(name, tf.variable(tf.zerosLike(w), false, `${scope}/adam.m.${name}`));
      this.v.set(name, tf.variable(tf.zerosLike(w), false, `${scope}/adam.v.${name}`));
    }
  }

  /**
   * Applies update number `t` (1-based; the training step, shared by G's and D's updates, since
   * each variable is updated once per step) to the named variables.
   */
  apply(grads: tf.NamedTensorMap, names: readonly string[], t: number): void {
    const { lr, beta1: b1, beta2: b2, eps } = ADAM;
    const lrT = (lr * Math.sqrt(1 - b2 ** t)) / (1 - b1 ** t);
    tf.tidy(() => {
      for (const name of names) {
        const w = this.vars.get(name)!;
        // variableGrads keys gradients by the tfjs (scoped) variable name
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

  dispose(): void {
    for (const t of this.m.values()) t.dispose();
    for (const t of this.v.values()) t.dispose();
  }
}
