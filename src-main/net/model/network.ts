import * as tf from '@tensorflow/tfjs-core';
import { OUTPUT_CHANNELS, type NetProfile } from './profiles.js';
import { generatorLayers } from './generator-topology.js';

export type Params = ReadonlyMap<string, tf.Tensor>;
/** Supplies a dropout mask (already scaled) for the index-th dropout layer (topology.ts), or null for no dropout. */
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
 * Nearest-neighbour 2x upsampling from ops whose forward kernels and gradients the wasm
 * backend has: each row is widened by broadcasting against [1,1,2,1] zeros, then each
 * (widened) row is repeated the same way; the reshapes are free. Add's gradient is one Sum
 * over the broadcast axis (Tile's gradient is a loop of slices, and tf.image's
 * ResizeNearestNeighborGrad is not something every backend has).
 */
export function upsampleNearest2x(x: tf.Tensor4D): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  const twice = tf.zeros([1, 1, 2, 1]);
  const wide = tf.add(tf.reshape(x, [b * h, w, 1, c]), twice); // [b*h, w, 2, c] = rows of width 2w
  const tall = tf.add(tf.reshape(wide, [b, h, 1, 2 * w * c]), twice); // [b, h, 2, 2w*c]
  twice.dispose();
  return tf.reshape(tall, [b, 2 * h, 2 * w, c]) as tf.Tensor4D;
}

/**
 * U-Net generator T of Deep Video Portraits, walked from its declaration (topology.ts).
 * Down: 4x4 conv stride 2 + BN + LeakyReLU(0.2). Up: 4x4 transposed conv stride 2 (or
 * nearest 2x + 3x3 conv) + BN + dropout (innermost levels) + ReLU, then two 3x3 conv + ReLU
 * refinements; skips concatenate encoder features; last level: 3 channels + tanh.
 */
export function generator(p: NetProfile, params: Params, x: tf.Tensor4D, dropout: DropoutSource): tf.Tensor4D {
  if (x.shape[1] !== p.resolution || x.shape[2] !== p.resolution) {
    throw new Error(`generator: input is ${x.shape[1]}x${x.shape[2]}, profile ${p.name} is ${p.resolution}x${p.resolution}`);
  }
  const enc: tf.Tensor4D[] = [];
  let h = x;
  const [b] = x.shape;
  for (const l of generatorLayers(p)) {
    if (l.kind === 'down') {
      h = conv(h, get(params, `${l.prefix}.w`), 2);
      h = l.norm ? norm(h, params, l.prefix) : (tf.add(h, get(params, `${l.prefix}.b`)) as tf.Tensor4D);
      h = tf.leakyRelu(h, LEAK);
      enc.push(h);
      continue;
    }
    const inp = l.skip === null ? h : tf.concat([h, enc[l.skip]!], 3);
    const w = get(params, `${l.prefix}.w`);
    h = l.upsample === 'transposed'
      ? tf.conv2dTranspose(inp, w as tf.Tensor4D, [b, l.outSide, l.outSide, l.outChannels], 2, 'same')
      : conv(upsampleNearest2x(inp), w, 1);
    if (l.last) {
      const y = tf.tanh(tf.add(h, get(params, `${l.prefix}.b`))) as tf.Tensor4D;
      if (!p.residual) return y;
      // The reference is the input's last 3 channels (after the window).
      const [n, hh, ww, c] = x.shape;
      return tf.add(tf.slice(x, [0, 0, 0, c - OUTPUT_CHANNELS], [n, hh, ww, OUTPUT_CHANNELS]), y) as tf.Tensor4D;
    }
    h = norm(h, params, l.prefix);
    if (l.dropout !== null) {
      const mask = dropout(l.dropout, h.shape);
      if (mask) h = tf.mul(h, mask) as tf.Tensor4D;
    }
    h = tf.relu(h);
    for (const r of l.refine) {
      h = tf.relu(tf.add(conv(h, get(params, `${r}.w`), 1), get(params, `${r}.b`))) as tf.Tensor4D;
    }
  }
  throw new Error('unreachable: generator has no output layer');
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
