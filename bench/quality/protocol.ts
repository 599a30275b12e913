/**
 * The quality protocol of issue 13, phase by phase: prepare a clip project (franck's first
 * 1200 frames or the whole cap12 clip), track it, then train a profile for a wall-clock
 * budget while keeping a snapshot every `snapshotMinutes` (the curve: each snapshot is
 * evaluated afterwards with the same code as `portrait evaluate`). A project kept in
 * `root` resumes: tracking resumes, training continues from its last checkpoint.
 */
import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { loadavg } from 'node:os';
import type { PortraitClient } from '../../src-shared/ipc/client.js';
import { runFfmpeg } from '../../src-main/services/media/run-ffmpeg.js';
import { CAP12, FRANCK } from '../../test/helpers/paths.js';

export type ClipName = 'franck' | 'cap12';

export interface ClipSpec {
  name: ClipName;
  source: string;
  /** Frames cut from the start of the source; null = the whole clip. */
  frames: number | null;
}

export const CLIPS: Record<ClipName, ClipSpec> = {
  franck: { name: 'franck', source: FRANCK, frames: 1200 },
  cap12: { name: 'cap12', source: CAP12, frames: null },
};

export function clipDir(root: string, clip: ClipSpec): string {
  return join(root, clip.frames ? `${clip.name}-${clip.frames}` : clip.name);
}

/** Creates (once) and tracks the clip's project; returns its folder and tracking seconds. */
export async function prepareClip(client: PortraitClient, root: string, clip: ClipSpec): Promise<{ dir: string; trackSec: number; framesWithFace: number; frames: number }> {
  const dir = clipDir(root, clip);
  const exists = await fs.access(join(dir, 'project.json')).then(() => true, () => false);
  if (!exists) {
    await fs.mkdir(root, { recursive: true });
    const cut = join(root, `${clip.name}${clip.frames ? `-${clip.frames}` : ''}.mp4`);
    // Re-encoded at high quality (crf 16) so the cut adds no visible loss over the source.
    const limit = clip.frames ? ['-frames:v', String(clip.frames)] : [];
    const r = await runFfmpeg(['-y', '-i', clip.source, ...limit, '-an', '-c:v', 'libx264', '-crf', '16', '-pix_fmt', 'yuv420p', cut]);
    if (r.code !== 0) throw new Error(r.stderr.slice(-300));
    await client.call('project.create', { dir });
    await (await client.startJob('project.importVideo', { dir, role: 'target', path: cut })).result;
  } else await client.call('project.open', { dir });
  const t0 = performance.now();
  const tracked = await (await client.startJob('tracking.start', { dir, role: 'target' })).result;
  return { dir, trackSec: (performance.now() - t0) / 1000, framesWithFace: tracked.framesWithFace, frames: tracked.frames };
}

export interface TrainLogEntry {
  /** Minutes since this run started. */
  minutes: number;
  step: number;
  load1: number;
}

export interface SnapshotMark {
  name: string;
  /** Wall-clock training minutes of the whole run (a resumed run counts its earlier segments) when the snapshot's checkpoint was taken (checkpoints lag by <= checkpointMinutes). */
  minutesRequested: number;
  step: number;
}

export interface TrainRun {
  startStep: number;
  endStep: number;
  minutes: number;
  backend: string | null;
  profile: string | null;
  log: TrainLogEntry[];
  snapshots: SnapshotMark[];
}

/**
 * Trains for `minutes` of wall clock (a cancel ends it; cancel checkpoints first) and keeps
 * a snapshot `<prefix>-t<minutes>` every `snapshotMinutes`, checkpointing every minute so
 * each snapshot is at most a minute stale.
 */
export async function trainFor(
  client: PortraitClient,
  dir: string,
  opts: {
    profile: 'cpu' | 'light' | 'tiny';
    minutes: number;
    snapshotMinutes: number;
    threads?: number;
    batch?: number;
    prefix?: string;
    /** Minutes this run's project already trained (a resumed run): snapshot names and marks count from there. */
    offsetMinutes?: number;
  },
): Promise<TrainRun> {
  const offset = opts.offsetMinutes ?? 0;
  const before = await client.call('training.status', { dir });
  const startStep = before.lastStep ?? 0;
  const log: TrainLogEntry[] = [];
  const snapshots: SnapshotMark[] = [];
  const t0 = Date.now();
  const minutesNow = () => (Date.now() - t0) / 60_000;
  const job = await client.startJob(
    'training.start',
    {
      dir,
      profile: opts.profile,
      steps: 10_000_000,
      validateEverySteps: 1_000_000,
      checkpointMinutes: 1,
      ...(opts.threads ? { threads: opts.threads } : {}),
      ...(opts.batch ? { batch: opts.batch } : {}),
    },
    (p) => {
      const m = minutesNow();
      const last = log[log.length - 1];
      if (!last || m - last.minutes >= 0.5) log.push({ minutes: m, step: p.done, load1: loadavg()[0]! });
    },
  );
  const prefix = opts.prefix ?? 'protocol';
  let k = 0;
  const timer = setInterval(() => {
    k++;
    const at = k * opts.snapshotMinutes;
    if (at >= opts.minutes) return;
    const name = `${prefix}-t${String(Math.round(offset + at)).padStart(3, '0')}`;
    void client.call('training.snapshot', { dir, name }).then(
      (s) => snapshots.push({ name, minutesRequested: offset + at, step: s.step }),
      () => undefined,
    );
  }, opts.snapshotMinutes * 60_000);
  const stop = setTimeout(() => void job.cancel(), opts.minutes * 60_000);
  await job.result.catch((e: { code?: string }) => {
    if (e.code !== 'CANCELLED') throw e;
  });
  clearInterval(timer);
  clearTimeout(stop);
  const name = `${prefix}-t${String(Math.round(offset + opts.minutes)).padStart(3, '0')}`;
  const after = await client.call('training.status', { dir });
  const last = await client.call('training.snapshot', { dir, name }).catch(() => null);
  if (last) snapshots.push({ name, minutesRequested: offset + opts.minutes, step: last.step });
  return { startStep, endStep: after.lastStep ?? 0, minutes: minutesNow(), backend: after.backend, profile: after.profile, log, snapshots };
}
