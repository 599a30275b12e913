import { inputChannels, OUTPUT_CHANNELS, type NetProfile } from './profiles.js';
import { generatorLayers, type ParamSpec } from './generator-topology.js';

export { downHasNorm, type ParamInit, type ParamSpec } from './generator-topology.js';

/**
 * The generator's parameters in a fixed order (the order is part of the checkpoint format):
 * the layers of model/generator-topology.ts, each layer's parameters in turn.
 */
export function generatorParams(p: NetProfile): ParamSpec[] {
  return generatorLayers(p).flatMap((l) => l.params);
}

export function discriminatorParams(p: NetProfile): ParamSpec[] {
  const out: ParamSpec[] = [];
  const W = p.dWidths;
  for (let k = 0; k < W.length; k++) {
    if (k === 0) {
      // The first conv over concat(window, frame) is kept as two filters: conv is linear in its
      // input channels, and the split lets the window half skip its (unneeded) input gradient
      // and be computed once for the real and the fake pass.
      out.push({ name: 'd.l0.wc', shape: [4, 4, inputChannels(p), W[0]!], init: 'conv' });
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
