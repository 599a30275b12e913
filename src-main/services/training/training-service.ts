import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import type { SnapshotInfo, TrainingBackend, TrainingResult, TrainingStatus } from '../../../src-shared/ipc/contract.js';
import { featherMask, pasteCrop } from '../../../src-shared/image/crop.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import type { JobContext } from '../jobs/job-runner.js';
import { ProjectLock } from '../project/lock.js';
import { readProjectFile } from '../project/project-store.js';
import { runInWorker } from '../workers/run-in-worker.js';
import { readFrame } from '../video/decode.js';
import { encodePng } from '../../fs/png.js';
import type { InferenceHost } from './inference-host.js';
import { deserializeCheckpoint } from '../../net/checkpoint/checkpoint.js';
import type { ProfileName } from '../../net/model/profiles.js';
import type { BackendId } from '../../net/backend/select.js';
import { recommendProfile } from '../../net/backend/recommend.js';
import { SnapshotMeta, TrainingState, listCheckpoints, trainingPaths } from './training-files.js';
import { lastPointsUpTo, readHistoryView, removeHistory } from './history-file.js';
import { readJson } from '../../fs/read-json.js';
import type { TrainArgs } from './train-task.js';

import { siblingModule } from '../workers/sibling-module.js';
import { makeDir } from '../../fs/make-dir.js';
const TASK = siblingModule(import.meta.url, 'train-task');
const BACKEND_TASK = siblingModule(import.meta.url, 'backend-task');

let detected: Promise<TrainingBackend> | null = null;

/**
 * The backend training would use on this machine and the profile that suits it, found once
 * per process in a worker (the same choice and smoke test a training job makes).
 */
export function trainingBackend(): Promise<TrainingBackend> {
  detected ??= runInWorker<undefined, { backend: BackendId; reason: string }>(BACKEND_TASK, 'detectBackendTask', undefined).then(
    (d) => ({ ...d, ...recommendProfile(d.backend, d.reason) }),
    (e: unknown) => {
      detected = null; // a failure is not remembered: the next ask tries again
      throw e;
    },
  );
  return detected;
}
/** The paper: 31,000 iterations. */
export const PAPER_STEPS = 31_000;

export interface TrainRequest {
  dir: string;
  profile?: ProfileName;
  steps?: number;
  resume?: boolean;
  fromSnapshot?: string;
  batch?: number;
  backend?: TrainArgs['backend'];
  checkpointMinutes?: number;
  checkpointEverySteps?: number;
  validateEverySteps?: number;
  seed?: number;
  threads?: number | 'auto';
}

/**
 * Training as a job: one per project (a lock file refuses a second one, also from another
 * process), heavy work in a worker, checkpoints written by the worker so a kill -9 of the
 * whole app loses at most the last interval.
 */
export async function runTraining(req: TrainRequest, owner: string, ctx: JobContext): Promise<TrainingResult> {
  const paths = trainingPaths(req.dir);
  await makeDir(paths.root);
  const lock = await ProjectLock.acquire(paths.root, owner, paths.lock, 'Training of this project');
  try {
    const { project } = await readProjectFile(req.dir);
    const state = await readJson(paths.state, TrainingState);
    const resume = req.resume ?? true;
    const profile = (req.profile ?? (resume && state ? state.profile : (project.settings.profile ?? (await trainingBackend()).profile))) as ProfileName;
    const args: TrainArgs = {
      dir: req.dir,
      profile,
      steps: req.steps ?? PAPER_STEPS,
      resume,
      ...(req.fromSnapshot ? { fromSnapshot: req.fromSnapshot } : {}),
      ...(req.batch ? { batch: req.batch } : {}),
      ...(req.backend ? { backend: req.backend } : {}),
      checkpointMinutes: req.checkpointMinutes ?? 10,
      ...(req.checkpointEverySteps ? { checkpointEverySteps: req.checkpointEverySteps } : {}),
      validateEverySteps: req.validateEverySteps ?? 250,
      keepLast: 3,
      seed: req.seed ?? 1,
      ...(req.threads !== undefined ? { threads: req.threads } : {}),
      holdout: project.settings.holdoutFraction,
    };
    if (!resume) {
      for (const c of await listCheckpoints(req.dir)) await fs.rm(c.file, { force: true });
      await removeHistory(paths.root);
    }
    return await runInWorker<TrainArgs, TrainingResult>(TASK, 'trainTask', args, {
      signal: ctx.signal,
      cancelGraceMs: 120_000,
      onProgress: (done, total, stage, metrics) => ctx.progress(done, total, stage, metrics),
    });
  } finally {
    await lock.release();
  }
}

export async function trainingStatus(dir: string, running: boolean): Promise<TrainingStatus> {
  const paths = trainingPaths(dir);
  const state = await readJson(paths.state, TrainingState);
  const checkpoints = await listCheckpoints(dir);
  const lastStep = checkpoints.length ? checkpoints[checkpoints.length - 1]!.step : null;
  // Thinned, so the reply stays small however long the run; while nothing runs, the steps past
  // the last checkpoint are left out (a resume discards them).
  const history = await readHistoryView(paths.root, running ? {} : { upTo: lastStep ?? 0 });
  const sample = await fs.readFile(paths.sample).then((b) => `data:image/png;base64,${b.toString('base64')}`, () => null);
  return {
    running,
    profile: state?.profile ?? null,
    backend: state?.backend ?? null,
    backendReason: state?.backendReason ?? null,
    lastStep,
    checkpoints,
    snapshots: await listSnapshots(dir),
    history,
    sample,
    dataset: state ? { trainFrames: state.trainFrames, heldOutFrames: state.heldOutFrames } : null,
  };
}

async function listSnapshots(dir: string): Promise<SnapshotInfo[]> {
  const root = trainingPaths(dir).snapshots;
  const names = await fs.readdir(root).catch(() => [] as string[]);
  const out: SnapshotInfo[] = [];
  for (const n of names.filter((x) => x.endsWith('.json'))) {
    const meta = await readJson(join(root, n), SnapshotMeta);
    if (meta) out.push(meta);
  }
  return out.sort((a, b) => a.step - b.step);
}

export async function takeSnapshot(dir: string, name: string): Promise<SnapshotInfo> {
  const paths = trainingPaths(dir);
  const all = await listCheckpoints(dir);
  const latest = all[all.length - 1];
  if (!latest) throw new PortraitError('BAD_REQUEST', 'There is no checkpoint to keep yet: train first.');
  await makeDir(paths.snapshots);
  const target = join(paths.snapshots, `${name}.ckpt`);
  if (await fs.access(target).then(() => true, () => false)) throw new PortraitError('BAD_REQUEST', `A snapshot named "${name}" already exists.`);
  const buf = await fs.readFile(latest.file);
  const ckpt = deserializeCheckpoint(buf);
  const { last: lastLoss, lastValidation: lastVal } = await lastPointsUpTo(paths.root, ckpt.step);
  const sample = await fs.readFile(paths.sample).then((b) => `data:image/png;base64,${b.toString('base64')}`, () => null);
  await writeFileAtomic(target, buf);
  const meta: SnapshotInfo = {
    name,
    step: ckpt.step,
    createdAt: new Date().toISOString(),
    lossL1: lastLoss?.lossL1 ?? null,
    psnr: lastVal?.psnr ?? null,
    thumbnail: sample,
  };
  await writeFileAtomic(join(paths.snapshots, `${name}.json`), JSON.stringify(meta));
  return meta;
}

/** The synthesized crop for frame f, and the full target frame with it pasted back. */
export async function inferFrame(host: InferenceHost, dir: string, frame: number) {
  const { project } = await readProjectFile(dir);
  const target = project.media.target;
  if (!target) throw new PortraitError('BAD_REQUEST', 'The project has no target video.');
  const r = await host.infer(dir, [frame]);
  const size = r.size;
  const crop = r.images[0]!;
  const box = r.crops[0]!;
  const full = await readFrame(target.path, frame, { fps: target.probe.fps });
  const composite = new Uint8Array(full.data);
  pasteCrop(composite, full.width, full.height, box, crop, size, featherMask(size));
  return {
    step: r.step,
    crop: { width: size, height: size, dataUrl: `data:image/png;base64,${encodePng(crop, size, size, 3).toString('base64')}` },
    composite: { width: full.width, height: full.height, dataUrl: `data:image/png;base64,${encodePng(composite, full.width, full.height, 3).toString('base64')}` },
  };
}
