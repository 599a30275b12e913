import { inputChannels, OUTPUT_CHANNELS, type NetProfile, type UpsampleMode } from './profiles.js';

export type ParamInit = 'conv' | 'gamma' | 'zero';
export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly init: ParamInit;
}

/** An encoder level: 4x4 stride-2 conv, then BN (or a bias), then LeakyReLU(0.2). */
export interface DownLayer {
  readonly kind: 'down';
  /** level i, 0 = outermost */
  readonly index: number;
  /** parameter name prefix, g.down<i> */
  readonly prefix: string;
  readonly inSide: number;
  readonly inChannels: number;
  readonly outSide: number;
  readonly outChannels: number;
  /** BatchNorm (gamma, beta) after the conv; false: a bias instead */
  readonly norm: boolean;
  /** this layer's parameters, in checkpoint order */
  readonly params: readonly ParamSpec[];
}

/**
 * A decoder level: upsample x2 (transposed 4x4 conv, or nearest + 3x3 conv), then for inner
 * levels BN, dropout (innermost levels), ReLU and the refinement convs; the last level adds a
 * bias and ends in tanh.
 */
export interface UpLayer {
  readonly kind: 'up';
  /** level j, 0 = innermost */
  readonly index: number;
  readonly prefix: string;
  /** encoder level concatenated to the input (U-Net skip), null for the innermost level */
  readonly skip: number | null;
  readonly inSide: number;
  /** channels of the (concatenated) input */
  readonly inChannels: number;
  readonly outSide: number;
  readonly outChannels: number;
  readonly upsample: UpsampleMode;
  /** the output layer: bias + tanh, no norm, dropout nor refinement */
  readonly last: boolean;
  readonly norm: boolean;
  /** index of this layer's dropout mask in the order a forward draws them; null: no dropout */
  readonly dropout: number | null;
  /** parameter prefixes of the 3x3 conv + ReLU refinements, in order */
  readonly refine: readonly string[];
  readonly params: readonly ParamSpec[];
}

export type GeneratorLayer = DownLayer | UpLayer;

/** pix2pix: no norm on the first layer (raw input statistics) nor the 1x1 bottleneck (batch-1 stats are 0). */
export function downHasNorm(i: number, levels: number): boolean {
  return i > 0 && i < levels - 1;
}

function norm(prefix: string, c: number): ParamSpec[] {
  return [
    { name: `${prefix}.gamma`, shape: [c], init: 'gamma' },
    { name: `${prefix}.beta`, shape: [c], init: 'zero' },
  ];
}

const cache = new WeakMap<NetProfile, readonly GeneratorLayer[]>();

/**
 * The generator's topology, declared once: the ordered layers, their sizes, flags and
 * parameters. The forward (network.ts), the parameter list and checkpoint order (params.ts),
 * the dropout masks (trainer.ts dropoutShapes) and the memory estimate (memory.ts) all walk
 * this list. The concatenation of the layers' params, in this order, is the checkpoint order;
 * for version-1 profiles it must not change (topology.test.ts pins it).
 */
export function generatorLayers(p: NetProfile): readonly GeneratorLayer[] {
  const hit = cache.get(p);
  if (hit) return hit;
  const W = p.gWidths;
  const L = W.length;
  const R = p.resolution;
  const out: GeneratorLayer[] = [];
  for (let i = 0; i < L; i++) {
    const prefix = `g.down${i}`;
    const cin = i === 0 ? inputChannels(p) : W[i - 1]!;
    const c = W[i]!;
    const hasNorm = downHasNorm(i, L);
    out.push({
      kind: 'down', index: i, prefix,
      inSide: R >> i, inChannels: cin, outSide: R >> (i + 1), outChannels: c,
      norm: hasNorm,
      params: [
        { name: `${prefix}.w`, shape: [4, 4, cin, c], init: 'conv' },
        ...(hasNorm ? norm(prefix, c) : [{ name: `${prefix}.b`, shape: [c], init: 'zero' as const }]),
      ],
    });
  }
  const dropoutLevels = Math.min(p.dropoutLevels, L - 1);
  let prev = 0;
  for (let j = 0; j < L; j++) {
    const prefix = `g.up${j}`;
    const skip = j === 0 ? null : L - 1 - j;
    const inC = j === 0 ? W[L - 1]! : prev + W[L - 1 - j]!;
    const last = j === L - 1;
    const outC = last ? OUTPUT_CHANNELS : W[L - 2 - j]!;
    // conv2dTranspose filters are [kh, kw, out, in]; the resize-conv's 3x3 conv is [kh, kw, in, out].
    // The residual output starts as the reference itself: its correction layer starts at zero.
    const init = last && p.residual ? 'zero' : 'conv';
    const w: ParamSpec = p.upsample === 'transposed'
      ? { name: `${prefix}.w`, shape: [4, 4, outC, inC], init }
      : { name: `${prefix}.w`, shape: [3, 3, inC, outC], init };
    const refine = !last && p.refine ? ['r1', 'r2'].map((r) => `${prefix}.${r}`) : [];
    const params: ParamSpec[] = [w];
    if (last) params.push({ name: `${prefix}.b`, shape: [outC], init: 'zero' });
    else {
      params.push(...norm(prefix, outC));
      for (const r of refine) {
        params.push({ name: `${r}.w`, shape: [3, 3, outC, outC], init: 'conv' });
        params.push({ name: `${r}.b`, shape: [outC], init: 'zero' });
      }
    }
    out.push({
      kind: 'up', index: j, prefix, skip,
      inSide: R >> (L - j), inChannels: inC, outSide: R >> (L - 1 - j), outChannels: outC,
      upsample: p.upsample, last, norm: !last,
      dropout: !last && j < dropoutLevels ? j : null,
      refine, params,
    });
    prev = outC;
  }
  cache.set(p, out);
  return out;
}

/** Shapes of the dropout masks of one generator forward on n samples, in the order it draws them. */
export function dropoutShapes(p: NetProfile, n: number): number[][] {
  const out: number[][] = [];
  for (const l of generatorLayers(p)) {
    if (l.kind === 'up' && l.dropout !== null) out[l.dropout] = [n, l.outSide, l.outSide, l.outChannels];
  }
  return out;
}
