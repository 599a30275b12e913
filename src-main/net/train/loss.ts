import * as tf from '@tensorflow/tfjs-core';

/** The paper's weight of the L1 reconstruction term against the adversarial term. */
export const L1_WEIGHT = 100;

/**
 * Adversarial loss: binary cross-entropy on logits (the original cGAN objective the paper and
 * pix2pix use), in the overflow-safe form relu(z) - z*t + log(1 + exp(-|z|)).
 */
export function bceWithLogits(logits: tf.Tensor, target: 0 | 1): tf.Scalar {
  const z = logits;
  const base = tf.add(tf.relu(z), tf.log1p(tf.exp(tf.neg(tf.abs(z)))));
  return tf.mean(target === 1 ? tf.sub(base, z) : base);
}

export function l1(a: tf.Tensor, b: tf.Tensor): tf.Scalar {
  return tf.mean(tf.abs(tf.sub(a, b)));
}
