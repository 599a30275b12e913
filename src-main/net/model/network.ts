import * as tf from '@tensorflow/tfjs-core';
import { downHasNorm } from './params.js';
import { OUTPUT_CHANNELS, type NetProfile } from './profiles.js';

export type Params = ReadonlyMap<string, tf.Tensor>;
/** Supplies a dropout mask (already scaled) for decoder level j, or null for no dropout. */
export type DropoutSource = (level: number, shape: number[]) => tf.Tensor | null;

const LEAK = 0.2;
const EPS = 1e-5;

function get(params: Params, name: string): tf.Tensor {
  const t = params.get(name);
  if (!t) throw new Error(`missing parameter ${name}`);
  return t;
}

/**
 * Batch statistics in training *and* inference, as pix2pix does: at batch 1 the statistics are
 * per-image (instance norm), and running averages would describe no image the net has seen.
 * It also leaves nothing but weights and Adam moments to checkpoint.
 */
function norm(x: tf.Tensor4D, params: Params, prefix: string): tf.Tensor4D {
  const { mean, variance } = tf.moments(x, [0, 1, 2]);
  // Written as x*scale + shift rather than tf.batchNorm: the fused op's gradient tiles its
  // statistics to full size (20 Tile calls, ~25 ms of a 0.4 s step), broadcasting does not.
  const scale = tf.mul(get(params, `${prefix}.gamma`), tf.rsqrt(tf.add(variance, EPS)));
  const shift = tf.sub(get(params, `${prefix}.beta`), tf.mul(mean, scale));
  return tf.add(tf.mul(x, scale), shift) as tf.Tensor4D;
}

function conv(x: tf.Tensor4D, w: tf.Tensor, stride: number): tf.Tensor4D {
  return tf.conv2d(x, w as tf.Tensor4D, stride, 'same');
}

/**
 * U-Net generator T of Deep Video Portraits. Down: 4x4 conv stride 2 + BN + LeakyReLU(0.2).
 * Up: 4x4 transposed conv stride 2 + BN + dropout (innermost levels) + ReLU, then two 3x3 conv +
 * ReLU refinements; skips concatenate encoder features; last level: 3 channels + tanh.
 */
export function generator(p: NetProfile, params: Params, x: tf.Tensor4D, dropout: DropoutSource): tf.Tensor4D {
  const L = p.gWidths.length;
  const enc: tf.Tensor4D[] = [];
  let h = x;
  for (let i = 0; i < L; i++) {
    h = conv(h, get(params, `g.down${i}.w`), 2);
    h = downHasNorm(i, L) ? norm(h, params, `g.down${i}`) : (tf.add(h, get(params, `g.down${i}.b`)) as tf.Tensor4D);
    h = tf.leakyRelu(h, LEAK);
    enc.push(h);
  }
  const [b] = x.shape;
  for (let j = 0; j < L; j++) {
    const inp = j === 0 ? enc[L - 1]! : tf.concat([h, enc[L - 1 - j]!], 3);
    const last = j === L - 1;
    const outC = last ? OUTPUT_CHANNELS : p.gWidths[L - 2 - j]!;
    const side = inp.shape[1] * 2;
    h = tf.conv2dTranspose(inp, get(params, `g.up${j}.w`) as tf.Tensor4D, [b, side, side, outC], 2, 'same');
    if (last) return tf.tanh(tf.add(h, get(params, `g.up${j}.b`))) as tf.Tensor4D;
    h = norm(h, params, `g.up${j}`);
    if (j < p.dropoutLevels) {
      const mask = dropout(j, h.shape);
      if (mask) h = tf.mul(h, mask) as tf.Tensor4D;
    }
    h = tf.relu(h);
    if (p.refine) {
      for (const r of ['r1', 'r2']) {
        h = tf.relu(tf.add(conv(h, get(params, `g.up${j}.${r}.w`), 1), get(params, `g.up${j}.${r}.b`))) as tf.Tensor4D;
      }
    }
  }
  throw new Error('unreachable: generator has no levels');
}

/**
 * Space-time PatchGAN D: it sees the whole 11-frame conditioning window next to the frame, so
 * it judges temporal coherence too. `condFeatures` is discriminatorCond(window): the first
 * layer's window half, shared by the real and fake passes. Returns logits, no sigmoid.
 */
export function discriminator(p: NetProfile, params: Params, condFeatures: tf.Tensor4D, frame: tf.Tensor4D): tf.Tensor4D {
  let h = tf.add(condFeatures, conv(frame, get(params, 'd.l0.wf'), 2)) as tf.Tensor4D;
  for (let k = 0; k < p.dWidths.length; k++) {
    if (k > 0) h = conv(h, get(params, `d.l${k}.w`), k < p.dStrideTwo ? 2 : 1);
    h = k > 0 ? norm(h, params, `d.l${k}`) : (tf.add(h, get(params, `d.l${k}.b`)) as tf.Tensor4D);
    h = tf.leakyRelu(h, LEAK);
  }
  return tf.add(conv(h, get(params, 'd.out.w'), 1), get(params, 'd.out.b')) as tf.Tensor4D;
}

/** The window's share of D's first conv (stride 2 like the rest of that layer). */
export function discriminatorCond(params: Params, cond: tf.Tensor4D): tf.Tensor4D {
  return conv(cond, get(params, 'd.l0.wc'), 2);
}
