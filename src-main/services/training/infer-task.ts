/**
 * A warm inference worker: keeps the generator of the latest checkpoint loaded and answers
 * frame requests, so scrubbing the preview does not reload the model each time.
 */
// The tfjs umbrella registers every gradient function with the shared tfjs-core engine.
import '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import type { MessagePort } from 'node:worker_threads';
import { PortraitError, toErrorShape } from '../../../src-shared/ipc/errors.js';
import { FaceConditioning, FrameCache, WindowAssembler, CHANNELS_PER_FRAME } from '../../../src-shared/conditioning/index.js';
import { neutralParams } from '../../../src-shared/face/index.js';
import { evaluate } from '../../../src-shared/timeline/index.js';
import { createGenerator, type GeneratorRunner } from '../../net/model/generator-runner.js';
import { loadReferenceSource, NetworkInput, type ReferenceSource } from './dataset.js';
import { deserializeCheckpoint } from '../../net/checkpoint/checkpoint.js';
import { readProjectFile } from '../project/project-store.js';
import { loadPerformance, type Performance } from '../timeline/performance.js';
import { listCheckpoints } from './training-files.js';
import { networkToRgb8 } from '../../../src-shared/image/network-range.js';

export interface InferRequest {
  id: number;
  dir: string;
  frames: number[];
}

interface Loaded {
  dir: string;
  ckptFile: string;
  step: number;
  net: GeneratorRunner;
  perf: Performance;
  projectStamp: string;
  inputLength: number;
  /** the reference crops' reader, released when this is replaced */
  reference: ReferenceSource | null;
  /** the network input of frame f (window, and the reference when the network takes one) */
  build(f: number, out: Float32Array): Float32Array;
}

export async function serveInference(_args: unknown, ctx: { port: Pick<MessagePort, 'on' | 'postMessage'> }): Promise<void> {
  let loaded: Loaded | null = null;

  const ensure = async (dir: string): Promise<Loaded> => {
    const all = await listCheckpoints(dir);
    const latest = all[all.length - 1];
    if (!latest) throw new PortraitError('BAD_REQUEST', 'Train the target actor first: this project has no checkpoint yet.');
    const { project } = await readProjectFile(dir);
    const stamp = project.updatedAt;
    if (loaded && loaded.dir === dir && loaded.ckptFile === latest.file && loaded.projectStamp === stamp) return loaded;
    // The previous reference reads a crop file of its own: released before a new one opens
    // (a rebuild follows whatever happens: loaded no longer matches the project).
    loaded?.reference?.close?.();
    // The generator alone (no discriminator, no optimizer state); rebuilt when the checkpoint changes.
    let net = loaded?.dir === dir && loaded.ckptFile === latest.file ? loaded.net : null;
    if (!net) {
      const backend = loaded?.net.backend;
      loaded?.net.dispose();
      loaded = null;
      net = await createGenerator(deserializeCheckpoint(await fs.readFile(latest.file)), backend ? { backend } : {});
    }
    const perf = await loadPerformance(dir, project);
    const res = net.profile.resolution;
    const fc = new FaceConditioning(perf.actor, perf.camera, res);
    const p = neutralParams();
    const cache = new FrameCache(32, res * res * CHANNELS_PER_FRAME);
    const assembler = new WindowAssembler(res, res, cache, (f, out) => fc.render(evaluate(perf.doc, f, p), perf.crops[f]!, out));
    const reference = net.profile.reference === 'none' ? null : await loadReferenceSource(dir, project, net.profile.reference, { size: res, holdout: project.settings.holdoutFraction });
    const input = new NetworkInput(res, reference);
    const build = (f: number, out: Float32Array) => input.build(f, (w) => assembler.assemble(f, stamp, w), () => evaluate(perf.doc, f, p), out);
    loaded = { dir, ckptFile: latest.file, step: net.step, net, perf, projectStamp: stamp, inputLength: input.length, reference, build };
    return loaded;
  };

  ctx.port.on('message', (m: InferRequest | { type: 'close' }) => {
    if ('type' in m) {
      loaded?.net.dispose();
      process.exit(0);
    }
    void (async () => {
      try {
        const l = await ensure(m.dir);
        const res = l.net.profile.resolution;
        const win = new Float32Array(l.inputLength);
        const outs: Uint8Array[] = [];
        for (const f of m.frames) {
          if (f < 0 || f >= l.perf.frameCount) throw new PortraitError('BAD_REQUEST', `Frame ${f} is outside 0..${l.perf.frameCount - 1}.`);
          const pred = l.net.predict(l.build(f, win));
          outs.push(networkToRgb8(pred, new Uint8Array(res * res * 3)));
        }
        ctx.port.postMessage({ id: m.id, ok: true, size: res, step: l.step, crops: m.frames.map((f) => l.perf.crops[f]), images: outs });
      } catch (e) {
        ctx.port.postMessage({ id: m.id, ok: false, error: toErrorShape(e) });
      }
    })();
  });
  await new Promise(() => {});
}
