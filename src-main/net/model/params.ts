import { INPUT_CHANNELS, OUTPUT_CHANNELS, type NetProfile } from './profiles.js';

export type ParamInit = 'conv' | 'gamma' | 'zero';
export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly init: ParamInit;
}

/** The generator's parameters in a fixed order (the order is part of the checkpoint format). */
export function generatorParams(p: NetProfile): ParamSpec[] {
  const out: ParamSpec[] = [];
  const W = p.gWidths;
  const L = W.length;
  for (let i = 0; i < L; i++) {
    const cin = i === 0 ? INPUT_CHANNELS : W[i - 1]!;
    out.push({ name: `g.down${i}.w`, shape: [4, 4, cin, W[i]!], init: 'conv' });
    if (downHasNorm(i, L)) pushNorm(out, `g.down${i}`, W[i]!);
    else out.push({ name: `g.down${i}.b`, shape: [W[i]!], init: 'zero' });
  }
  let prev = 0;
  for (let j = 0; j < L; j++) {
    const inC = j === 0 ? W[L - 1]! : prev + W[L - 1 - j]!;
    const last = j === L - 1;
    const outC = last ? OUTPUT_CHANNELS : W[L - 2 - j]!;
    // conv2dTranspose filters are [kh, kw, out, in].
    out.push({ name: `g.up${j}.w`, shape: [4, 4, outC, inC], init: 'conv' });
    if (last) {
      out.push({ name: `g.up${j}.b`, shape: [outC], init: 'zero' });
    } else {
      pushNorm(out, `g.up${j}`, outC);
      if (p.refine) {
        for (const r of ['r1', 'r2']) {
          out.push({ name: `g.up${j}.${r}.w`, shape: [3, 3, outC, outC], init: 'conv' });
          out.push({ name: `g.up${j}.${r}.b`, shape: [outC], init: 'zero' });
        }
      }
    }
    prev = outC;
  }
  return out;
}

/** pix2pix: no norm on the first layer (raw input statistics) nor the 1x1 bottleneck (batch-1 stats are 0). */
export function downHasNorm(i: number, levels: number): boolean {
  return i > 0 && i < levels - 1;
}

export function discriminatorParams(p: NetProfile): ParamSpec[] {
  const out: ParamSpec[] = [];
  const W = p.dWidths;
  for (let k = 0; k < W.length; k++) {
    if (k === 0) {
      // The first conv over concat(window, frame) is kept as two filters: conv is linear in its
      // input channels, and the split lets the window half skip its (unneeded) input gradient
      // and be computed once for the real and the fake pass.
      out.push({ name: 'd.l0.wc', shape: [4, 4, INPUT_CHANNELS, W[0]!], init: 'conv' });
      out.push({ name: 'd.l0.wf', shape: [4, 4, OUTPUT_CHANNELS, W[0]!], init: 'conv' });
    } else {
      out.push({ name: `d.l${k}.w`, shape: [4, 4, W[k - 1]!, W[k]!], init: 'conv' });
    }
    if (k > 0) pushNorm(out, `d.l${k}`, W[k]!);
    else out.push({ name: `d.l${k}.b`, shape: [W[k]!], init: 'zero' });
  }
  out.push({ name: 'd.out.w', shape: [4, 4, W[W.length - 1]!, 1], init: 'conv' });
  out.push({ name: 'd.out.b', shape: [1], init: 'zero' });
  return out;
}

function pushNorm(out: ParamSpec[], prefix: string, c: number): void {
  out.push({ name: `${prefix}.gamma`, shape: [c], init: 'gamma' });
  out.push({ name: `${prefix}.beta`, shape: [c], init: 'zero' });
}

export function countParams(specs: readonly ParamSpec[]): number {
  let n = 0;
  for (const s of specs) n += s.shape.reduce((a, b) => a * b, 1);
  return n;
}
