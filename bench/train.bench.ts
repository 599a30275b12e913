/**
 * Training/inference speed of the neural renderer per backend and profile (issues 6, 7).
 * `run()` returns the report; a runner writes bench/results/train.json.
 *
 * Times are wall ms (median of the measured steps) plus process CPU ms: on a shared machine the
 * CPU time is the steadier number (the wasm backend runs on one thread).
 * The pure-JS cpu backend is far too slow to run full steps of the large profiles (minutes per
 * step): it runs full steps of the tiny profile only; for the others the output is marked
 * `extrapolated` and gives a lower bound (see firstLayerMs): those profiles report
 * speedupVsCpuLowerBound (kind 'lower bound') instead of speedupVsCpu (kind 'end-to-end').
 *
 * torchVsWasm: the anchor a user cares about, the same network trained in PyTorch on the same
 * CPU (bench/train-torch.py; Debian: apt-get install -y python3-torch), beside the wasm
 * trainer in the same run, runs interleaved so load drift hits both alike. Skipped, and said
 * so in the report, when no python3 can import torch (BENCH_PYTHON picks the interpreter).
 * Env: BENCH_TORCH_RUNS / BENCH_TORCH_STEPS (runs per figure, steps per run), BENCH_TRAIN_PROJECT
 * (a tracked project: adds the wasm step with the data pipeline), BENCH_TRAIN_ONLY=torch (that part only).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import '@tensorflow/tfjs';
import * as tf from '@tensorflow/tfjs-core';
import { selectBackend, type BackendChoice, type BackendId } from '../src-main/net/backend/select.js';
import { discriminator, discriminatorCond } from '../src-main/net/model/network.js';
import { countParams, discriminatorParams, generatorParams } from '../src-main/net/model/params.js';
import { inputChannels, PROFILES, type NetProfile, type ProfileName } from '../src-main/net/model/profiles.js';
import { estimateMemory } from '../src-main/net/train/memory.js';
import { Rng } from '../src-main/net/train/rng.js';
import { createParallelTrainer } from '../src-main/net/train/parallel.js';
import { createTrainer, GanTrainer, type TrainBatch, type Trainer } from '../src-main/net/train/trainer.js';

const PAPER_STEPS = 31_000;
const PAPER_BATCH = 16;

interface Timing { wallMs: number; cpuMs: number }

function measure(fn: () => void, reps: number): Timing {
  const walls: number[] = [];
  const cpus: number[] = [];
  for (let i = 0; i < reps; i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    fn();
    walls.push(performance.now() - t0);
    const c = process.cpuUsage(c0);
    cpus.push((c.user + c.system) / 1000);
  }
  const med = (a: number[]): number => a.sort((x, y) => x - y)[Math.floor(a.length / 2)]!;
  return { wallMs: round(med(walls)), cpuMs: round(med(cpus)) };
}

function round(x: number, d = 1): number {
  const f = 10 ** d;
  return Math.round(x * f) / f;
}

function batchOf(p: NetProfile, n: number, seed: number): TrainBatch {
  const rng = new Rng(seed);
  const R = p.resolution;
  const C = inputChannels(p);
  const input = new Float32Array(n * R * R * C);
  const target = new Float32Array(n * R * R * 3);
  rng.fillNormal(input, 0, 0.5);
  for (let i = 0; i < target.length; i++) target[i] = Math.tanh(input[Math.floor(i / 3) * C + (i % 3)]!);
  return { input, target, n };
}

let peakRss = 0;
let peakWasmHeap = 0;
function samplePeak(): void {
  peakRss = Math.max(peakRss, process.memoryUsage().rss);
  const be = tf.backend() as unknown as { wasm?: { HEAPU8: Uint8Array } };
  if (be.wasm) peakWasmHeap = Math.max(peakWasmHeap, be.wasm.HEAPU8.buffer.byteLength);
}

async function profileOnBackend(choice: BackendChoice, p: NetProfile, batches: number[], reps: number): Promise<Record<string, unknown>> {
  const t = await createTrainer(p, { backend: choice, seed: 1 });
  try {
    const out: Record<string, unknown> = {};
    for (const n of batches) {
      const b = batchOf(p, n, 7);
      t.step(b); // warm-up: kernel setup, XNNPACK operator creation, heap growth
      samplePeak();
      const step = measure(() => t.step(b), reps);
      samplePeak();
      const fwd = measure(() => void t.predict(b.input, n), Math.max(2, reps));
      samplePeak();
      out[`batch${n}`] = {
        kind: 'end-to-end',
        trainMsPerStep: step.wallMs,
        trainCpuMsPerStep: step.cpuMs,
        trainMsPerSample: round(step.wallMs / n),
        forwardMs: fwd.wallMs,
        inferenceMsPerFrame: round(fwd.wallMs / n),
        stepOverForward: round(step.wallMs / fwd.wallMs, 2),
      };
    }
    return out;
  } finally {
    t.dispose();
  }
}

/**
 * Forward + filter gradient of the profile's first generator conv (the layer that dominates a
 * step; its input gradient is never needed) on a 64x64 crop: the cpu backend needs minutes for
 * the full-size layer, and both backends scale linearly in pixels at these sizes.
 */
function firstLayerMs(p: NetProfile, reps: number): number {
  const R = Math.min(64, p.resolution);
  const w0 = p.gWidths[0]!;
  const rng = new Rng(11);
  const C = inputChannels(p);
  const xv = new Float32Array(R * R * C);
  const wv = new Float32Array(16 * C * w0);
  rng.fillNormal(xv, 0, 1);
  rng.fillNormal(wv, 0, 0.02);
  const run = (): void => {
    tf.tidy(() => {
      const x = tf.tensor4d(xv, [1, R, R, C]);
      const w = tf.tensor4d(wv, [4, 4, C, w0]);
      const g = tf.grad((b: tf.Tensor) => tf.sum(tf.square(tf.conv2d(x, b as tf.Tensor4D, 2, 'same'))))(w);
      g.dataSync();
    });
  };
  return measure(run, reps).wallMs;
}

function projection(msPerStepBatch: number, batch: number): Record<string, unknown> {
  // Linear in batch: both backends are compute-bound at these sizes (measured batch 1 vs 4).
  const msPerSample = msPerStepBatch / batch;
  return {
    kind: 'lower bound',
    basis: 'measured step time (random tensors) x steps: leaves out the data pipeline, validation and checkpoints, which only add time',
    hoursFor31kStepsAtBatch16: round((msPerSample * PAPER_BATCH * PAPER_STEPS) / 3.6e6, 2),
    hoursFor50EpochsOf2000Frames: round((msPerSample * 50 * 2000) / 3.6e6, 2),
  };
}

/**
 * Data parallelism on the cpu profile: the single-thread trainer vs ParallelTrainer (2 replicas,
 * the calling thread + 1 worker) at batch 2 and 4, ms per sample. Wall time is what counts
 * here (the point is using both cores); process CPU time covers all threads.
 */
async function parallelVsSingle(choice: BackendChoice, batches: number[], reps: number, threads: number): Promise<Record<string, unknown>> {
  const p = PROFILES.cpu;
  const out: Record<string, unknown> = { profile: 'cpu', threads };
  const single = await createTrainer(p, { backend: choice, seed: 1 });
  let par: Trainer | null = null;
  try {
    par = await createParallelTrainer(p, { backend: choice, seed: 1, threads });
    for (const n of batches) {
      const b = batchOf(p, n, 7);
      single.step(b);
      const s = measure(() => single.step(b), reps);
      par.step(b);
      const q = measure(() => par!.step(b), reps);
      out[`batch${n}`] = {
        singleMsPerSample: round(s.wallMs / n),
        parallelMsPerSample: round(q.wallMs / n),
        parallelCpuMsPerSample: round(q.cpuMs / n),
        speedup: round(s.wallMs / q.wallMs, 2),
      };
    }
  } finally {
    single.dispose();
    par?.dispose();
  }
  return out;
}

// ---- PyTorch anchor: the same network, the same CPU, the same run ----

interface RunFigure {
  msPerStep: number;
  cpuMsPerStep: number;
  /** 1-minute load average before and after the run */
  loadAvg1m: [number, number];
}

function spread(xs: number[]): { median: number; min: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { median: s[Math.floor(s.length / 2)]!, min: s[0]!, max: s[s.length - 1]! };
}

function summarise(runs: RunFigure[], batch: number): Record<string, unknown> {
  const ms = spread(runs.map((r) => r.msPerStep));
  return {
    msPerStep: ms,
    msPerSample: { median: round(ms.median / batch), min: round(ms.min / batch), max: round(ms.max / batch) },
    cpuMsPerStep: spread(runs.map((r) => r.cpuMsPerStep)),
    runs,
  };
}

/** The first interpreter that imports torch: BENCH_PYTHON, python3 on PATH, then Debian's (apt's python3-torch lives there). */
function findTorchPython(): { python: string; version: string } | { tried: string[] } {
  const candidates = [process.env['BENCH_PYTHON'], 'python3', '/usr/bin/python3'].filter((c): c is string => !!c);
  const tried: string[] = [];
  for (const python of [...new Set(candidates)]) {
    const r = spawnSync(python, ['-c', 'import torch; print(torch.__version__)'], { encoding: 'utf8', timeout: 120_000 });
    if (r.status === 0) return { python, version: r.stdout.trim() };
    tried.push(`${python}: ${r.error?.message ?? (r.stderr.trim().split('\n').pop() || `exit ${r.status}`)}`);
  }
  return { tried };
}

/** One timed run of the wasm trainer: `steps` calls of `step`, wall and process CPU (all threads) per step. */
function wasmRun(step: () => void, steps: number): RunFigure {
  const l0 = loadavg()[0]!;
  const c0 = process.cpuUsage();
  const t0 = performance.now();
  for (let i = 0; i < steps; i++) step();
  const wall = performance.now() - t0;
  const c = process.cpuUsage(c0);
  return { msPerStep: round(wall / steps), cpuMsPerStep: round((c.user + c.system) / 1000 / steps), loadAvg1m: [round(l0, 2), round(loadavg()[0]!, 2)] };
}

interface TorchOut {
  torch: string;
  python: string;
  threads: number;
  batch: number;
  norm: string;
  blas: string[];
  ompWaitPolicy: string;
  runs: { msPerStep: number; cpuMsPerStep: number; loadAvg1mBefore: number; loadAvg1mAfter: number }[];
  params: { generator: number; discriminator: number; tfjs?: { generator: number; discriminator: number }; match?: boolean };
}

/** One timed run of bench/train-torch.py (its own warm-up first; its startup is not timed). */
function torchRun(
  python: string, p: NetProfile, threads: number, batch: number, steps: number, expect: [number, number], env: Record<string, string> = {},
): { fig: RunFigure; out: TorchOut } {
  const script = fileURLToPath(new URL('./train-torch.py', import.meta.url));
  // The whole profile, options included (upsample, advWeight, l1Weight, lr, emaDecay, ...).
  const profileJson = JSON.stringify(p);
  const r = spawnSync(
    python,
    [script, '--threads', String(threads), '--batch', String(batch), '--steps', String(steps), '--warmup', '2', '--runs', '1', '--profile-json', profileJson, '--expect-params', expect.join(',')],
    { encoding: 'utf8', timeout: 600_000, env: { ...process.env, OMP_NUM_THREADS: String(threads), ...env } },
  );
  const line = r.stdout.trim().split('\n').pop() ?? '';
  if (r.status !== 0 && r.status !== 3) throw new Error(`train-torch.py failed (${r.error?.message ?? `exit ${r.status}`}): ${r.stderr.slice(-600)}`);
  const out = JSON.parse(line) as TorchOut;
  const run = out.runs[0]!;
  return { fig: { msPerStep: run.msPerStep, cpuMsPerStep: run.cpuMsPerStep, loadAvg1m: [run.loadAvg1mBefore, run.loadAvg1mAfter] }, out };
}

/**
 * Beyond equal parameter counts: the tfjs model's weights (cpu profile, seed 1) loaded into
 * train-torch.py's modules give the same generator output (dropout off) and the same D logits
 * on a batch of 2 (batch statistics across samples), within float32 rounding.
 */
async function torchEquivalence(choice: BackendChoice, python: string): Promise<Record<string, unknown>> {
  const p = PROFILES.cpu;
  await tf.setBackend(choice.tfName);
  const t = await createTrainer(p, { backend: choice, seed: 1 });
  const dir = mkdtempSync(join(tmpdir(), 'train-torch-check-'));
  try {
    if (!(t instanceof GanTrainer)) throw new Error('expected the single-thread trainer');
    const b = batchOf(p, 2, 5);
    const R = p.resolution;
    const weights = t.save().tensors.filter((x) => !x.name.startsWith('adam.'));
    const params = new Map(weights.map((x) => [x.name, tf.tensor(x.data, x.shape)] as const));
    const xs = tf.tensor4d(b.input, [2, R, R, 99]);
    const ys = tf.tensor4d(b.target, [2, R, R, 3]);
    const dl = tf.tidy(() => discriminator(p, params, discriminatorCond(params, xs), ys));
    const extra = [
      { name: 'input', shape: [2, R, R, 99], data: b.input },
      { name: 'target', shape: [2, R, R, 3], data: b.target },
      { name: 'tfjs.generator', shape: [2, R, R, 3], data: t.predict(b.input, 2) },
      { name: 'tfjs.discriminator', shape: [...dl.shape], data: dl.dataSync() as Float32Array },
    ];
    tf.dispose([...params.values(), xs, ys, dl]);
    let off = 0;
    const all = [...weights, ...extra];
    const header = {
      profile: p,
      tensors: all.map((x) => {
        const e = { name: x.name, shape: x.shape, offset: off, size: x.data.length };
        off += x.data.length;
        return e;
      }),
    };
    const data = new Float32Array(off);
    for (const [i, x] of all.entries()) data.set(x.data, header.tensors[i]!.offset);
    const file = join(dir, 'check.bin');
    writeFileSync(file, Buffer.concat([Buffer.from(`${JSON.stringify(header)}\n`), Buffer.from(data.buffer, data.byteOffset, data.byteLength)]));
    const script = fileURLToPath(new URL('./train-torch.py', import.meta.url));
    const r = spawnSync(python, [script, '--check', file], { encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0) return { error: (r.error?.message ?? r.stderr).slice(-600) };
    const out = JSON.parse(r.stdout.trim().split('\n').pop()!) as Record<string, unknown>;
    delete out['check'];
    return { method: 'tfjs weights (seed 1) loaded into the torch modules; G output (dropout off) and D logits on a batch of 2, NHWC', ...out };
  } finally {
    t.dispose();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * The cpu profile trained by the wasm trainer and by PyTorch, random tensors for both (no data
 * pipeline), at (1 thread, batch 1) and (2 threads, batch 4: createParallelTrainer with 2
 * replicas vs torch.set_num_threads(2)). Each figure is the median (min, max) over `runs`
 * runs of `steps` steps, wasm and torch runs interleaved. With BENCH_TRAIN_PROJECT=<a tracked
 * project>, the wasm 1-thread figure is also measured with the training job's data pipeline.
 */
async function torchVsWasm(choice: BackendChoice, opts: { quick: boolean }): Promise<Record<string, unknown>> {
  const p = PROFILES.cpu;
  const expect: [number, number] = [countParams(generatorParams(p)), countParams(discriminatorParams(p))];
  const found = findTorchPython();
  if (!('python' in found)) {
    return { torch: { skipped: 'python3-torch not installed (apt-get install -y python3-torch)', tried: found.tried } };
  }
  const runs = Number(process.env['BENCH_TORCH_RUNS'] ?? (opts.quick ? 3 : 5));
  const configs = [
    { name: 'threads1_batch1', threads: 1, batch: 1, steps: Number(process.env['BENCH_TORCH_STEPS'] ?? (opts.quick ? 3 : 8)) },
    { name: 'threads2_batch4', threads: 2, batch: 4, steps: Math.max(2, Math.round(Number(process.env['BENCH_TORCH_STEPS'] ?? (opts.quick ? 3 : 8)) / 2)) },
  ];
  const loadStart = loadavg();
  const report: Record<string, unknown> = {
    note:
      'Same network (cpu profile) and step (D + G gradients, adversarial + 100 x L1, Adam 2e-4/0.5) in both; random tensors, no data pipeline, for both. ' +
      'Per configuration: median (min, max) over runs of N steps each, wasm and torch runs interleaved; loadAvg1m before/after each run. ' +
      'wasm 2 threads = createParallelTrainer (2 data-parallel replicas, BatchNorm statistics per replica shard of 2); torch 2 threads = intra-op threads. ' +
      'cpuMsPerStep is process CPU time over all threads. On a shared machine, read the load average beside each figure. ' +
      'torch (2 threads) runs with libgomp defaults (active spin-wait at barriers, what a user gets), and again as torchPassiveWait with OMP_WAIT_POLICY=PASSIVE: ' +
      'when the cores are busy with other work the default collapses (a descheduled thread stalls its partner spinning), the passive policy does not. ' +
      "torch.blas: the BLAS Debian's libtorch loaded (it takes libblas.so.3; with only the reference libblas3, e.g. apt without Recommends, its non-oneDNN convs are ~3x slower: install libopenblas0, which libtorch1.13 recommends).",
    python: found.python,
    torchVersion: found.version,
    runsPerFigure: runs,
    loadAvgAtStart: loadStart.map((x) => round(x, 2)),
  };
  let params: Record<string, unknown> | null = null;
  for (const c of configs) {
    const b = batchOf(p, c.batch, 7);
    await tf.setBackend(choice.tfName);
    const t: Trainer = c.threads === 1
      ? await createTrainer(p, { backend: choice, seed: 1 })
      : await createParallelTrainer(p, { backend: choice, seed: 1, threads: c.threads });
    const wasmRuns: RunFigure[] = [];
    const torchRuns: RunFigure[] = [];
    const torchPassiveRuns: RunFigure[] = [];
    let torchMeta: TorchOut | null = null;
    try {
      t.step(b);
      t.step(b); // warm-up, as the torch script's 2
      for (let r = 0; r < runs; r++) {
        wasmRuns.push(wasmRun(() => void t.step(b), c.steps));
        const tr = torchRun(found.python, p, c.threads, c.batch, c.steps, expect);
        torchRuns.push(tr.fig);
        torchMeta = tr.out;
        if (c.threads > 1) torchPassiveRuns.push(torchRun(found.python, p, c.threads, c.batch, c.steps, expect, { OMP_WAIT_POLICY: 'PASSIVE' }).fig);
      }
    } finally {
      t.dispose();
    }
    params ??= {
      tfjs: { generator: expect[0], discriminator: expect[1] },
      torch: { generator: torchMeta!.params.generator, discriminator: torchMeta!.params.discriminator },
      match: torchMeta!.params.generator === expect[0] && torchMeta!.params.discriminator === expect[1],
    };
    const w = summarise(wasmRuns, c.batch);
    const to = summarise(torchRuns, c.batch);
    const wm = (w.msPerStep as { median: number }).median;
    const tm = (to.msPerStep as { median: number }).median;
    report[c.name] = {
      kind: 'end-to-end',
      input: 'random tensors, no data pipeline',
      threads: c.threads,
      batch: c.batch,
      stepsPerRun: c.steps,
      wasm: { trainer: c.threads === 1 ? 'GanTrainer (createTrainer)' : `ParallelTrainer (createParallelTrainer, ${c.threads} replicas)`, ...w },
      torch: { torch: torchMeta!.torch, python: torchMeta!.python, intraOpThreads: torchMeta!.threads, norm: torchMeta!.norm, blas: torchMeta!.blas, ompWaitPolicy: torchMeta!.ompWaitPolicy, ...to },
      torchOverWasm: round(tm / wm, 2),
      ...(torchPassiveRuns.length
        ? (() => {
          const tp = summarise(torchPassiveRuns, c.batch);
          return {
            torchPassiveWait: { env: 'OMP_WAIT_POLICY=PASSIVE', ...tp },
            torchPassiveWaitOverWasm: round((tp.msPerStep as { median: number }).median / wm, 2),
          };
        })()
        : {}),
    };
  }
  report.params = params;
  report.equivalence = await torchEquivalence(choice, found.python);
  const project = process.env['BENCH_TRAIN_PROJECT'];
  if (project) report.withDataPipeline = await wasmWithPipeline(choice, project, runs, configs[0]!.steps);
  report.loadAvgAtEnd = loadavg().map((x) => round(x, 2));
  return report;
}

/**
 * The wasm 1-thread step with the training job's data pipeline in the loop (train-task.ts:
 * window rendered from the tracked parameters, frame copied and scaled), on a tracked project.
 */
async function wasmWithPipeline(choice: BackendChoice, dir: string, runs: number, steps: number): Promise<Record<string, unknown>> {
  const { readProjectFile } = await import('../src-main/services/project/project-store.js');
  const { loadDataset } = await import('../src-main/services/training/dataset.js');
  const p = PROFILES.cpu;
  const { project } = await readProjectFile(dir);
  const ds = await loadDataset(dir, project, { size: p.resolution, holdout: 0.1 });
  const R = p.resolution;
  const input = new Float32Array(R * R * 99);
  const target = new Float32Array(R * R * 3);
  const rng = new Rng(3);
  let order = rng.permutation(ds.trainFrames.length);
  let cursor = 0;
  const fill = (): TrainBatch => {
    if (cursor >= order.length) {
      order = rng.permutation(ds.trainFrames.length);
      cursor = 0;
    }
    const f = ds.trainFrames[order[cursor++]!]!;
    ds.window(f, input);
    const fr = ds.frame(f);
    for (let i = 0; i < fr.length; i++) target[i] = fr[i]! / 127.5 - 1;
    return { input, target, n: 1 };
  };
  await tf.setBackend(choice.tfName);
  const t = await createTrainer(p, { backend: choice, seed: 1 });
  const withPipe: RunFigure[] = [];
  const pipeOnly: number[] = [];
  try {
    t.step(fill());
    t.step(fill());
    for (let r = 0; r < runs; r++) {
      withPipe.push(wasmRun(() => void t.step(fill()), steps));
      const t0 = performance.now();
      for (let i = 0; i < steps; i++) fill();
      pipeOnly.push(round((performance.now() - t0) / steps));
    }
  } finally {
    t.dispose();
  }
  return {
    kind: 'end-to-end',
    input: 'data pipeline: training job batches from a tracked project (window render + frame), batch 1, 1 thread',
    project: dir,
    trainFrames: ds.trainFrames.length,
    ...summarise(withPipe, 1),
    pipelineOnlyMsPerSample: spread(pipeOnly),
  };
}

export async function run(opts: { quick?: boolean } = {}): Promise<Record<string, unknown>> {
  const reps = opts.quick ? 2 : 3;
  // The full walk, as the training job does it: shows why each faster backend was not used.
  const walk = await selectBackend({ forTraining: true });
  const wasm = await selectBackend({ prefer: 'wasm', forTraining: true });
  if (process.env['BENCH_TRAIN_ONLY'] === 'torch') {
    // Only the PyTorch-vs-wasm comparison (a few minutes instead of the whole suite).
    return { only: 'torchVsWasm (BENCH_TRAIN_ONLY=torch)', measuredOn: wasm.name, torchVsWasm: await torchVsWasm(wasm, { quick: opts.quick ?? false }) };
  }
  const report: Record<string, unknown> = {
    note:
      'wall ms = median; cpuMs = process CPU time (steadier on a shared machine). ' +
      'wasm: single-threaded SIMD (the threaded build cannot start workers in Node). ' +
      'cpu backend: full steps for tiny only; for other profiles a lower bound on its step time (its first layer alone, timed on a 64x64 crop and scaled to full size), marked extrapolated; ' +
      'so those profiles give speedupVsCpuLowerBound (speedupVsCpuKind "lower bound"), tiny gives speedupVsCpu ("end-to-end"). ' +
      'Per-profile steps use random tensors (no data pipeline); the *Projection hours are therefore lower bounds. ' +
      `torchVsWasm: the same network in PyTorch on the same CPU, same run. Load average at start: ${loadavg().map((x) => x.toFixed(2)).join(' ')}.`,
    backendSelection: { name: walk.name, reason: walk.reason, tried: walk.tried },
    measuredOn: wasm.name,
    profiles: {} as Record<string, unknown>,
  };
  const profiles = report.profiles as Record<string, unknown>;
  const plan: [ProfileName, number[]][] = opts.quick
    ? [['tiny', [1, 4]], ['cpu', [1]]]
    : [['tiny', [1, 4]], ['cpu', [1, 4]], ['light', [1, 4]], ['paper', [1]]];

  const cpuChoice = await selectBackend({ prefer: 'cpu' as BackendId, forTraining: true });
  for (const [name, batches] of plan) {
    const p = PROFILES[name];
    const entry: Record<string, unknown> = {
      resolution: p.resolution,
      generatorParams: countParams(generatorParams(p)),
      discriminatorParams: countParams(discriminatorParams(p)),
      estimatedTrainMemoryMiB: round(estimateMemory(p, p.batch).totalBytes / 2 ** 20, 0),
    };
    await tf.setBackend('wasm');
    const w = await profileOnBackend(wasm, p, batches, name === 'paper' ? 1 : reps);
    entry.wasm = w;
    const wasmB1 = (w.batch1 as { trainMsPerStep: number; trainCpuMsPerStep: number }) ?? null;
    const lastB = batches[batches.length - 1]!;
    const wasmLast = w[`batch${lastB}`] as { trainMsPerStep: number };
    entry.wasmProjection = projection(wasmLast.trainMsPerStep, lastB);

    // cpu backend
    await tf.setBackend('cpu');
    if (name === 'tiny') {
      const c = await profileOnBackend(cpuChoice, p, [1], 2);
      entry.cpu = c;
      const cb1 = c.batch1 as { trainMsPerStep: number };
      entry.speedupVsCpu = round(cb1.trainMsPerStep / wasmB1.trainMsPerStep, 1);
      entry.speedupVsCpuKind = 'end-to-end';
    } else {
      // Lower bound for a cpu-backend step: it must at least run the first generator layer,
      // whose 64x64-crop time scales with pixels to the full resolution.
      const cpuLayer = firstLayerMs(p, 1);
      await tf.setBackend('wasm');
      const wasmLayer = firstLayerMs(p, 3);
      const scale = (p.resolution / Math.min(64, p.resolution)) ** 2;
      const lower = cpuLayer * scale;
      entry.cpu = {
        extrapolated: true,
        method: 'first generator layer (forward + filter grad) timed on a 64x64 crop on both backends, scaled to full resolution; a cpu step costs at least this',
        firstLayerCropMs: { cpu: round(cpuLayer), wasm: round(wasmLayer), ratio: round(cpuLayer / wasmLayer, 0) },
        batch1: { kind: 'lower bound', trainMsPerStepLowerBound: round(lower, 0) },
      };
      entry.speedupVsCpuLowerBound = round(lower / wasmB1.trainMsPerStep, 1);
      entry.speedupVsCpuKind = 'lower bound';
    }
    samplePeak();
    profiles[name] = entry;
  }
  await tf.setBackend('wasm');
  report.stepOverForward = Object.fromEntries(
    Object.entries(profiles).map(([k, v]) => [k, Object.fromEntries(Object.entries((v as { wasm: Record<string, { stepOverForward: number }> }).wasm).map(([b, x]) => [b, x.stepOverForward]))]),
  );
  report.stepOverForwardNote =
    'forward = predict (generator only). A step runs G forward, D forward 3x (fake for G, real and fake for D) and both backward passes, ' +
    'so ~3x "forward" is not the floor here: with D included the floor is about 3 x (G + 3 D) / G.';
  const par = await parallelVsSingle(wasm, [2, 4], reps, 2);
  report.parallel = par;
  const b4 = par.batch4 as { parallelMsPerSample: number } | undefined;
  if (b4) {
    report.parallelProjection = {
      note: 'cpu profile, ParallelTrainer with 2 replicas, from its batch-4 ms per sample',
      ...projection(b4.parallelMsPerSample, 1),
    };
  }
  report.torchVsWasm = await torchVsWasm(wasm, { quick: opts.quick ?? false });
  report.peakMemory = { rssMiB: round(peakRss / 2 ** 20, 0), wasmHeapMiB: round(peakWasmHeap / 2 ** 20, 0) };
  const cpuP = profiles.cpu as { wasm: { batch1: { trainMsPerStep: number; trainCpuMsPerStep: number } } } | undefined;
  if (cpuP) {
    report.issue7 = {
      kind: 'end-to-end step (random tensors, no data pipeline)',
      targetMsPerStep: 288,
      cpuProfileMsPerStep: cpuP.wasm.batch1.trainMsPerStep,
      cpuProfileCpuMsPerStep: cpuP.wasm.batch1.trainCpuMsPerStep,
      meetsTarget: cpuP.wasm.batch1.trainCpuMsPerStep <= 288,
    };
  }
  return report;
}

// Run directly: `npx tsx bench/train.bench.ts [--quick]`
if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) {
  run({ quick: process.argv.includes('--quick') }).then((r) => console.log(JSON.stringify(r, null, 2)));
}
