/**
 * The training task (worker thread): data from the project, the GAN trainer from net/,
 * progress with losses and held-out validation, atomic checkpoints every N minutes/steps
 * and on cancel (keep-last-K), resume from the latest checkpoint or a snapshot.
 */
// The tfjs umbrella registers every gradient function with the shared tfjs-core engine.
import '@tensorflow/tfjs';
import { promises as fs } from 'node:fs';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import type { TrainingMetrics, TrainingResult } from '../../../src-shared/ipc/contract.js';
import { frameImageToRgb8 } from '../../../src-shared/conditioning/index.js';
import { meanAbs } from '../../../src-shared/image/metrics.js';
import { psnr } from '../../../src-shared/image/quality/psnr.js';
import { ssim } from '../../../src-shared/image/quality/ssim.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { readProjectFile } from '../project/project-store.js';
import { encodePng } from '../../fs/png.js';
import type { WorkerTaskContext } from '../workers/run-in-worker.js';
import { getProfile, PROFILE_OVERRIDES_ENV, resolveProfile, type NetProfile, type ProfileName } from '../../net/model/profiles.js';
import { checkpointNetworkVersion } from '../../net/checkpoint/compat.js';
import { createTrainer, type Trainer } from '../../net/train/trainer.js';
import { deserializeCheckpoint, serializeCheckpoint, type Checkpoint } from '../../net/checkpoint/checkpoint.js';
import type { BackendId } from '../../net/backend/select.js';
import { loadDataset, type Dataset } from './dataset.js';
import { TrainingState, listCheckpoints, trainingPaths } from './training-files.js';
import { HistoryWriter } from './history-file.js';
import { makeDir } from '../../fs/make-dir.js';
import { count } from '../../../src-shared/text/count.js';
import { networkToRgb8 } from '../../../src-shared/image/network-range.js';

export interface TrainArgs {
  dir: string;
  profile: ProfileName;
  steps: number;
  resume: boolean;
  fromSnapshot?: string;
  batch?: number;
  backend?: BackendId;
  checkpointMinutes: number;
  checkpointEverySteps?: number;
  validateEverySteps: number;
  keepLast: number;
  seed: number;
  holdout: number;
  /** Data-parallel worker threads for the wasm backend ('auto' = one per core); 1 = single thread. */
  threads?: number | 'auto';
}

const VAL_FRAMES = 8;

/**
 * load -> loop -> finish: a TrainingRun holds the run's state (trainer, data, history, the
 * checkpoint and rate bookkeeping); the task only sequences it and always releases it.
 */
export async function trainTask(args: TrainArgs, ctx: WorkerTaskContext): Promise<TrainingResult> {
  const ckpt = await startingPoint(args, ctx);
  ctx.progress(0, args.steps, 'Loading the network backend');
  const profile = resumeProfile(args.profile, ckpt);
  const batch = args.batch ?? profile.batch;
  // Passing the batch makes the trainer check memory before it allocates anything.
  const trainer = await createTrainer(profile, { seed: args.seed, batch, ...(args.threads !== undefined ? { threads: args.threads } : {}), ...(args.backend ? { backend: args.backend } : {}) });
  let run: TrainingRun | null = null;
  try {
    if (ckpt) trainer.load(ckpt); // refuses another profile with a clear message
    const startStep = trainer.stepCount;
    if (startStep >= args.steps) {
      return { profile: profile.name, backend: trainer.backend.name, startStep, step: startStep, last: null, validation: null, checkpoint: null, stoppedBy: 'steps' };
    }
    run = await TrainingRun.load(args, ctx, trainer, batch, ckpt !== null);
    ctx.progress(startStep, args.steps, startStep > 0 ? `Resumed at step ${startStep}` : 'Training');
    while (trainer.stepCount < args.steps && !ctx.signal.aborted) await run.step();
    return await run.finish();
  } finally {
    run?.close();
    trainer.dispose();
  }
}

/**
 * The profile to train: a resumed checkpoint of the requested profile continues with the
 * network it was trained with (its options, and the profile's defaults of its network
 * version: a run started before the defaults changed resumes instead of being refused);
 * experiment overrides in the environment (PORTRAIT_PROFILE_OVERRIDES) take precedence.
 */
export function resumeProfile(name: ProfileName, ckpt: Pick<Checkpoint, 'profile' | 'variant' | 'networkVersion'> | null, env: NodeJS.ProcessEnv = process.env): NetProfile {
  if (!ckpt || ckpt.profile !== name || env[PROFILE_OVERRIDES_ENV]?.trim()) return getProfile(name, env);
  return resolveProfile(ckpt.profile, ckpt.variant, checkpointNetworkVersion(ckpt));
}

/** Where to start: a snapshot, the latest readable checkpoint, or fresh (null). */
async function startingPoint(args: TrainArgs, ctx: WorkerTaskContext): Promise<Checkpoint | null> {
  const paths = trainingPaths(args.dir);
  await makeDir(paths.root);
  let startFrom: Buffer | null = null;
  if (args.fromSnapshot) {
    startFrom = await fs.readFile(`${paths.snapshots}/${args.fromSnapshot}.ckpt`).catch(() => {
      throw new PortraitError('FILE_NOT_FOUND', `No snapshot named "${args.fromSnapshot}" in this project.`);
    });
  } else if (args.resume) {
    const all = await listCheckpoints(args.dir);
    // Newest first; a damaged newest file (atomic writes rule out torn files, but disks fail) falls back to the previous one.
    const damaged: string[] = [];
    for (const c of all.reverse()) {
      const buf = await fs.readFile(c.file);
      try {
        deserializeCheckpoint(buf);
        startFrom = buf;
        break;
      } catch {
        damaged.push(c.file);
      }
    }
    if (!startFrom && damaged.length) {
      throw new PortraitError('PROJECT_CORRUPT', `Every checkpoint of this project is damaged (${damaged.join(', ')}). Restore one from a backup or a snapshot, or start over with a restart.`);
    }
    if (damaged.length) ctx.progress(0, args.steps, `Skipped ${count(damaged.length, 'damaged checkpoint')}; resuming from an older one`);
  }
  const ckpt = startFrom ? deserializeCheckpoint(startFrom) : null;
  if (args.fromSnapshot && ckpt) {
    // Rolling back abandons the newer branch: its checkpoints must not win a later resume.
    for (const c of await listCheckpoints(args.dir)) if (c.step > ckpt.step) await fs.rm(c.file, { force: true });
  }
  return ckpt;
}

/** One training run's state, from its data being loaded to its last checkpoint. */
class TrainingRun {
  private readonly paths: ReturnType<typeof trainingPaths>;
  private readonly res: number;
  private readonly inBuf: Float32Array;
  private readonly tgtBuf: Float32Array;
  private readonly win: Float32Array;
  private order: Uint32Array | number[];
  private cursor = 0;
  private lastCkptAt = Date.now();
  private lastCkptStep: number;
  private lastCkptFile: string | null = null;
  private rateT = Date.now();
  private rateSteps = 0;
  private stepsPerSec = 0;
  private last: TrainingMetrics | null = null;
  private validation: TrainingResult['validation'] = null;

  private constructor(
    private readonly args: TrainArgs,
    private readonly ctx: WorkerTaskContext,
    private readonly trainer: Trainer,
    private readonly batch: number,
    private readonly ds: Dataset,
    private readonly history: HistoryWriter,
    private readonly state: TrainingState,
    private readonly startStep: number,
  ) {
    this.paths = trainingPaths(args.dir);
    this.res = ds.size;
    this.inBuf = new Float32Array(batch * ds.inputLength);
    this.tgtBuf = new Float32Array(batch * this.res * this.res * 3);
    this.win = new Float32Array(ds.inputLength);
    this.order = trainer.permutation(ds.trainFrames.length);
    this.lastCkptStep = startStep;
  }

  /** The project's data and loss history (cut back to the checkpoint's step when resuming), and the state file. */
  static async load(args: TrainArgs, ctx: WorkerTaskContext, trainer: Trainer, batch: number, resumed: boolean): Promise<TrainingRun> {
    const { project } = await readProjectFile(args.dir);
    const profile = trainer.profile;
    const startStep = trainer.stepCount;
    const ds = await loadDataset(args.dir, project, {
      size: profile.resolution,
      holdout: args.holdout,
      reference: profile.reference,
      trainingExclusion: profile.trainingExclusion,
      signal: ctx.signal,
      onProgress: (d, t, s) => ctx.progress(0, args.steps, `${s} ${d}/${t}`),
    });
    let history: HistoryWriter;
    try {
      history = await HistoryWriter.open(trainingPaths(args.dir).root, resumed ? startStep : null);
    } catch (e) {
      ds.close();
      throw e;
    }
    if (history.unreadable) ctx.progress(startStep, args.steps, `Skipped ${count(history.unreadable, 'unreadable line')} of the loss history (a damaged disk block?); the checkpoints are intact`);
    const state: TrainingState = {
      profile: profile.name,
      backend: trainer.backend.name,
      backendReason: trainer.backend.reason,
      trainFrames: ds.trainFrames.length,
      heldOutFrames: ds.heldOutFrames.length,
      lastValidation: null,
    };
    const run = new TrainingRun(args, ctx, trainer, batch, ds, history, state, startStep);
    try {
      await writeFileAtomic(run.paths.state, JSON.stringify(state));
    } catch (e) {
      run.close();
      throw e;
    }
    return run;
  }

  /** One optimisation step on the next batch of the epoch, then validation and a checkpoint when due. */
  async step(): Promise<void> {
    const { ds, trainer, args, res } = this;
    for (let b = 0; b < this.batch; b++) {
      if (this.cursor >= this.order.length) {
        this.order = trainer.permutation(ds.trainFrames.length);
        this.cursor = 0;
      }
      const f = ds.trainFrames[this.order[this.cursor++]!]!;
      this.inBuf.set(ds.window(f, this.win), b * this.win.length);
      const fr = ds.frame(f);
      const o = b * res * res * 3;
      for (let i = 0; i < fr.length; i++) this.tgtBuf[o + i] = fr[i]! / 127.5 - 1;
    }
    const losses = trainer.step({ input: this.inBuf, target: this.tgtBuf, n: this.batch });
    this.rateSteps++;
    const now = Date.now();
    if (now - this.rateT > 2000) {
      this.stepsPerSec = (this.rateSteps * 1000) / (now - this.rateT);
      this.rateT = now;
      this.rateSteps = 0;
    }
    const step = trainer.stepCount;
    let last: TrainingMetrics = { step, lossG: losses.lossG, lossD: losses.lossD, lossL1: losses.lossL1, stepsPerSec: this.stepsPerSec };
    if (step % args.validateEverySteps === 0 || step === args.steps) {
      const v = await this.validate();
      last = { ...last, psnr: v.psnr, ssim: v.ssim, valL1: v.l1 };
    }
    this.last = last;
    this.history.append(last);
    this.ctx.progress(step, args.steps, 'Training', { ...last } as unknown as Record<string, number>);
    const due = now - this.lastCkptAt > args.checkpointMinutes * 60_000 || (args.checkpointEverySteps !== undefined && step - this.lastCkptStep >= args.checkpointEverySteps);
    if (due) await this.checkpoint();
  }

  /** The last checkpoint (unless the latest step already has one) and the run's result. */
  async finish(): Promise<TrainingResult> {
    if (this.trainer.stepCount > this.lastCkptStep || !this.lastCkptFile) await this.checkpoint();
    return {
      profile: this.trainer.profile.name,
      backend: this.trainer.backend.name,
      startStep: this.startStep,
      step: this.trainer.stepCount,
      last: this.last,
      validation: this.validation,
      checkpoint: this.lastCkptFile,
      stoppedBy: this.ctx.signal.aborted ? 'cancel' : 'steps',
    };
  }

  close(): void {
    this.history.close();
    this.ds.close();
  }

  private async checkpoint(): Promise<void> {
    const file = this.paths.checkpoint(this.trainer.stepCount);
    // History first: a kill between the two writes leaves extra history (trimmed to the
    // checkpoint's step on resume), never a checkpoint without its history.
    this.history.sync();
    // Serialize + write atomically: a kill or a full disk leaves the previous checkpoint valid.
    await writeFileAtomic(file, serializeCheckpoint(this.trainer.save()));
    const all = await listCheckpoints(this.args.dir);
    for (const old of all.slice(0, Math.max(0, all.length - this.args.keepLast))) await fs.rm(old.file, { force: true });
    this.lastCkptAt = Date.now();
    this.lastCkptStep = this.trainer.stepCount;
    this.lastCkptFile = file;
  }

  private async validate(): Promise<NonNullable<TrainingResult['validation']>> {
    const { ds, trainer, res } = this;
    const frames = pickEven(ds.heldOutFrames, VAL_FRAMES);
    let p = 0;
    let s = 0;
    let l = 0;
    const out8 = new Uint8Array(res * res * 3);
    for (const f of frames) {
      ds.window(f, this.win);
      const pred = trainer.predict(this.win, 1);
      networkToRgb8(pred, out8);
      const gt = ds.frame(f);
      p += psnr(out8, gt);
      s += ssim(out8, gt, res, res);
      l += meanAbs(out8, gt);
    }
    const validation = { psnr: p / frames.length, ssim: s / frames.length, l1: l / frames.length };
    this.validation = validation;
    this.state.lastValidation = { step: trainer.stepCount, ...validation };
    await writeFileAtomic(this.paths.state, JSON.stringify(this.state));
    await writeSample(ds, trainer, frames[Math.floor(frames.length / 2)]!, this.paths.sample);
    return validation;
  }
}

function pickEven(frames: number[], k: number): number[] {
  if (frames.length <= k) return frames;
  return Array.from({ length: k }, (_, i) => frames[Math.floor(((i + 0.5) * frames.length) / k)]!);
}

/** conditioning (color) | output | ground truth, side by side. */
async function writeSample(ds: Dataset, trainer: Trainer, f: number, file: string): Promise<void> {
  const res = ds.size;
  const cond = new Float32Array(res * res * 9);
  ds.conditioning(f, cond);
  const condRgb = frameImageToRgb8(cond, res, res, 'color');
  const win = new Float32Array(ds.inputLength);
  const out = networkToRgb8(trainer.predict(ds.window(f, win), 1), new Uint8Array(res * res * 3));
  const gt = ds.frame(f);
  const grid = new Uint8Array(res * 3 * res * 3);
  for (let y = 0; y < res; y++) {
    for (const [k, img] of [condRgb, out, gt].entries()) grid.set(img.subarray(y * res * 3, (y + 1) * res * 3), (y * res * 3 + k * res) * 3);
  }
  await writeFileAtomic(file, encodePng(grid, res * 3, res, 3));
}
