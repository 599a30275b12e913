/**
 * Data-parallel training over worker threads, for the wasm backend (issue 7): wasm runs one
 * thread in Node (its threaded build cannot start workers: ERR_WORKER_PATH), so using K cores
 * means K replicas of G and D. Each step:
 *
 *  1. the coordinator draws the whole batch's dropout masks from its RNG (exactly what the
 *     single-thread trainer draws), splits batch and masks into K contiguous shards;
 *  2. shard 0 runs on the calling thread, shards 1..K-1 on K-1 worker threads, each computing
 *     G's and D's gradients (trainer.ts `gradients`) weighted by shard size / batch size into
 *     its slot of a SharedArrayBuffer;
 *  3. the coordinator sums the slots (= the batch-mean gradient) and applies one Adam update
 *     (host optimizer, moments and the generator's EMA only here); the new weights go to a
 *     shared buffer that every replica reloads before its next shard. With advWeight 0 only
 *     G's gradients are computed, summed and applied.
 *
 * The only difference from one trainer on the whole batch: BatchNorm uses each shard's batch
 * statistics (per-worker BN, as in unsynchronised multi-GPU data parallelism), so losses
 * track the single-thread trainer's closely but not bit-exactly. Weights, Adam moments, RNG
 * and step live in the coordinator's replica, so save()/load() produce and accept the same
 * checkpoints as the single-thread trainer: a run can move between them.
 *
 * step() is synchronous, like Trainer's: the coordinator blocks in Atomics.wait while the
 * workers finish (Node allows that on the main thread too), and commands and replies travel
 * by MessagePort + receiveMessageOnPort, which needs no event loop turn.
 */
import os from 'node:os';
import { MessageChannel, receiveMessageOnPort, Worker, type MessagePort } from 'node:worker_threads';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import type { BackendChoice } from '../backend/select.js';
import type { Checkpoint } from '../checkpoint/checkpoint.js';
import { getProfile, type NetProfile, type ProfileName } from '../model/profiles.js';
import { ensureFits } from './memory.js';
import { CTRL, type ReplicaCommand, type ReplicaReply } from './parallel-protocol.js';
import type { ReplicaData } from './parallel-worker.js';
import { createTrainer, GanTrainer, type StepLosses, type TrainBatch, type Trainer, type TrainerOptions } from './trainer.js';

const ENTRY = new URL('./parallel-entry.mjs', import.meta.url);
// .ts from source (tsx), .js in the compiled app (dist/app), like services/workers/sibling-module.ts.
const REPLICA_MODULE = new URL(`./parallel-worker${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`, import.meta.url).href;

export interface ParallelTrainerOptions extends Omit<TrainerOptions, 'threads'> {
  /** replicas including the calling thread; default os.availableParallelism() (2 here) */
  threads?: number;
}

interface Replica {
  worker: Worker;
  port: MessagePort;
  ctrl: Int32Array;
  grads: Float32Array;
  seq: number;
}

/** The Trainer interface, K data-parallel replicas behind it. */
export class ParallelTrainer implements Trainer {
  private readonly layout: { name: string; size: number; off: number }[];
  /** the layout entries a step updates (D's are left out with advWeight 0: no gradient, no update) */
  private readonly trained: { name: string; size: number; off: number }[];
  private readonly acc = new Map<string, Float32Array>();
  private weightsVersion = 0;
  private sharedVersion = -1;
  private disposed = false;

  /** use createParallelTrainer */
  constructor(
    private readonly main: GanTrainer,
    private readonly replicas: Replica[],
    private readonly sharedWeights: Float32Array,
  ) {
    let off = 0;
    this.layout = main.paramLayout().map((p) => {
      const e = { name: p.name, size: p.size, off };
      off += p.size;
      this.acc.set(p.name, new Float32Array(p.size));
      return e;
    });
    const names = new Set(main.trainedParamNames());
    this.trained = this.layout.filter((l) => names.has(l.name));
  }

  get profile(): NetProfile {
    return this.main.profile;
  }
  get backend(): BackendChoice {
    const b = this.main.backend;
    return { ...b, reason: `${b.reason}; data-parallel over ${this.threads} threads (BatchNorm statistics per thread's shard)` };
  }
  get stepCount(): number {
    return this.main.stepCount;
  }
  /** replicas including the calling thread */
  get threads(): number {
    return this.replicas.length + 1;
  }

  step(batch: TrainBatch): StepLosses {
    if (this.disposed) throw new Error('ParallelTrainer: used after dispose');
    const { n, input, target } = batch;
    this.main.checkBatch(n, input, target);
    const inPer = input.length / n;
    const tgPer = target.length / n;
    const K = Math.min(this.threads, n);
    const sizes = Array.from({ length: K }, (_, k) => Math.floor(n / K) + (k < n % K ? 1 : 0));
    const starts = sizes.map((_, k) => sizes.slice(0, k).reduce((a, b) => a + b, 0));
    const masks = this.main.drawDropoutMasks(n);
    const maskPer = masks.map((m) => m.length / n);
    const rows = (a: Float32Array, per: number, k: number): Float32Array => a.subarray(starts[k]! * per, (starts[k]! + sizes[k]!) * per);

    if (K > 1 && this.sharedVersion !== this.weightsVersion) {
      for (const l of this.layout) this.sharedWeights.set(this.main.weights(l.name), l.off);
      this.sharedVersion = this.weightsVersion;
    }
    const active = this.replicas.slice(0, K - 1);
    active.forEach((r, i) => {
      const k = i + 1;
      const cmd: ReplicaCommand = {
        type: 'step',
        n: sizes[k]!,
        input: rows(input, inPer, k).slice(),
        target: rows(target, tgPer, k).slice(),
        masks: masks.map((m, j) => rows(m, maskPer[j]!, k).slice()),
        scale: sizes[k]! / n,
        weightsVersion: this.weightsVersion,
      };
      if (cmd.type === 'step') this.send(r, cmd, [cmd.input.buffer, cmd.target.buffer, ...cmd.masks.map((m) => m.buffer)] as ArrayBuffer[]);
    });

    const losses: StepLosses = { lossG: 0, lossD: 0, lossL1: 0, lossAdv: 0 };
    const addLosses = (l: StepLosses, w: number): void => {
      losses.lossG += l.lossG * w;
      losses.lossD += l.lossD * w;
      losses.lossL1 += l.lossL1 * w;
      losses.lossAdv += l.lossAdv * w;
    };
    let failure: unknown = null;
    try {
      const scale0 = sizes[0]! / n;
      const own = this.main.shardGradients(rows(input, inPer, 0), rows(target, tgPer, 0), sizes[0]!, masks.map((m, j) => rows(m, maskPer[j]!, 0)), (name, g) => {
        const dst = this.acc.get(name)!;
        for (let i = 0; i < g.length; i++) dst[i] = g[i]! * scale0;
      });
      addLosses(own, scale0);
    } catch (e) {
      failure = e;
    }
    // Always collect every worker's reply, even after a local failure: the next step must not
    // read a stale one.
    active.forEach((r, i) => {
      const reply = this.await(r);
      if (reply.type === 'error') {
        failure ??= new PortraitError('INTERNAL', `Training replica ${i + 1} failed: ${reply.message}`);
        return;
      }
      addLosses(reply.losses, sizes[i + 1]! / n);
    });
    if (failure) throw failure;
    for (const r of active) {
      for (const l of this.trained) {
        const dst = this.acc.get(l.name)!;
        const src = r.grads.subarray(l.off, l.off + l.size);
        for (let i = 0; i < dst.length; i++) dst[i] = dst[i]! + src[i]!;
      }
    }
    this.main.applyGradientArrays(this.acc);
    this.weightsVersion++;
    return losses;
  }

  private send(r: Replica, cmd: ReplicaCommand, transfer: ArrayBuffer[] = []): void {
    r.port.postMessage(cmd, transfer);
    r.seq++;
    Atomics.store(r.ctrl, CTRL.command, r.seq);
    Atomics.notify(r.ctrl, CTRL.command);
  }

  private await(r: Replica): ReplicaReply {
    for (;;) {
      const done = Atomics.load(r.ctrl, CTRL.done);
      if (done === r.seq) break;
      if (Atomics.load(r.ctrl, CTRL.dead)) {
        return { type: 'error', message: 'the worker thread exited (out of memory or a crash)' };
      }
      Atomics.wait(r.ctrl, CTRL.done, done, 1000);
    }
    for (let i = 0; ; i++) {
      const m = receiveMessageOnPort(r.port);
      if (m) return m.message as ReplicaReply;
      if (i > 1000) return { type: 'error', message: 'the worker finished without a reply' };
      Atomics.wait(r.ctrl, CTRL.length - 1, 0, 1);
    }
  }

  predict(input: Float32Array, n = 1): Float32Array {
    return this.main.predict(input, n);
  }

  permutation(n: number): Uint32Array {
    return this.main.permutation(n);
  }

  save(): Checkpoint {
    return this.main.save();
  }

  load(ckpt: Checkpoint): void {
    this.main.load(ckpt);
    this.weightsVersion++;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    for (const r of this.replicas) {
      try {
        if (!Atomics.load(r.ctrl, CTRL.dead)) this.send(r, { type: 'stop' });
      } catch {
        // a dead replica's port may be closed already
      }
      r.port.close();
      r.worker.unref();
    }
    this.main.dispose();
  }
}

/** How many replicas 'auto' means: one per core the OS reports. */
export function defaultThreads(): number {
  return Math.max(1, typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length);
}

/**
 * K replicas (the calling thread + K-1 workers). wasm or cpu backend only: the GPU/native
 * backends parallelise inside their kernels. The memory check is per replica (each worker has
 * its own wasm heap) at the shard size.
 */
export async function createParallelTrainer(profile: NetProfile | ProfileName, opts: ParallelTrainerOptions): Promise<ParallelTrainer> {
  const p = typeof profile === 'string' ? getProfile(profile) : profile;
  const threads = opts.threads ?? defaultThreads();
  if (!Number.isInteger(threads) || threads < 1) throw new PortraitError('BAD_REQUEST', `threads must be a positive integer, got ${threads}`);
  const main = await createTrainer(p, { seed: opts.seed, backend: opts.backend ?? 'wasm' });
  if (!(main instanceof GanTrainer)) throw new Error('createParallelTrainer: unexpected trainer type');
  const backend = main.backend.name;
  if (backend !== 'wasm' && backend !== 'cpu') {
    main.dispose();
    throw new PortraitError('UNSUPPORTED', `Data-parallel training is for the wasm/cpu backends; ${backend} uses its own threads`);
  }
  if (opts.batch !== undefined) ensureFits(p, Math.ceil(opts.batch / threads), backend);
  const size = main.paramLayout().reduce((a, l) => a + l.size, 0);
  const weights = new SharedArrayBuffer(size * 4);
  const replicas: Replica[] = [];
  try {
    for (let k = 1; k < threads; k++) {
      const ctrl = new SharedArrayBuffer(CTRL.length * 4);
      const grads = new SharedArrayBuffer(size * 4);
      const { port1, port2 } = new MessageChannel();
      const data: ReplicaData = { module: REPLICA_MODULE, profile: p, backend, seed: opts.seed + k, ctrl, weights, grads, port: port2 };
      const worker = new Worker(ENTRY, { workerData: data, transferList: [port2] });
      replicas.push({ worker, port: port1, ctrl: new Int32Array(ctrl), grads: new Float32Array(grads), seq: 0 });
      await new Promise<void>((resolve, reject) => {
        const onMsg = (m: { type: string; message?: string }): void => {
          cleanup();
          if (m.type === 'ready') resolve();
          else reject(new PortraitError('INTERNAL', `Training replica ${k} could not start: ${m.message ?? m.type}`));
        };
        const onErr = (e: Error): void => {
          cleanup();
          reject(new PortraitError('INTERNAL', `Training replica ${k} could not start: ${e.message}`));
        };
        const onExit = (code: number): void => {
          cleanup();
          reject(new PortraitError('INTERNAL', `Training replica ${k} exited while starting (code ${code})`));
        };
        const cleanup = (): void => {
          worker.off('message', onMsg);
          worker.off('error', onErr);
          worker.off('exit', onExit);
        };
        worker.on('message', onMsg);
        worker.on('error', onErr);
        worker.on('exit', onExit);
      });
      // Errors after start come back as replies or the dead flag; keep a listener so an
      // 'error' event is never unhandled.
      worker.on('error', () => {});
    }
  } catch (e) {
    for (const r of replicas) void r.worker.terminate();
    main.dispose();
    throw e;
  }
  return new ParallelTrainer(main, replicas, new Float32Array(weights));
}
