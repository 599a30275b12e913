import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import type { MediaRef, ProjectFile, VideoRole } from '../../../src-shared/project/schema.js';
import { defaultTransfer, parseEdits, TransferSettingsSchema, type TransferSettings } from '../../../src-shared/timeline/index.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { trackPaths } from '../tracking/track-files.js';
import { trainingPaths } from '../training/training-files.js';
import { makeDir } from '../../fs/make-dir.js';

/**
 * What replacing a project's video with a different one does to the data derived from the old
 * one. Nothing is deleted but caches: the old video's tracking (and, for the target, its
 * checkpoints; for the source, its transfer timing) moves to replaced/<role>-<sha>/, and
 * importing that same video again brings it back.
 */
export interface ReplaceOutcome {
  /** the folder the old video's data went to (relative to the project), null when there was none */
  archivedTo: string | null;
  /** true when the new video's own earlier data came back from replaced/ */
  restored: boolean;
  /** for the user: what happened, in one or two sentences; null when nothing changed */
  message: string | null;
  /** the transfer settings the project must now have (source replaced or restored); undefined: unchanged */
  transfer?: TransferSettings;
}

const TRANSFER_FILE = 'transfer.json';

export function archiveDir(dir: string, role: VideoRole, sha256: string): string {
  return join(dir, 'replaced', `${role}-${sha256.slice(0, 12)}`);
}

/** The files that hold data derived from the role's video (tracking; the target's checkpoints). */
function derived(dir: string, role: VideoRole): string[] {
  const t = trackPaths(dir, role);
  const files = [t.records, t.landmarks, t.actor, t.crops, t.coverage];
  return role === 'target' ? [...files, trainingPaths(dir).root] : files;
}

async function exists(p: string): Promise<boolean> {
  return fs.lstat(p).then(() => true, () => false);
}

/**
 * Whether `p` holds something worth keeping: a file, or a checkpoints folder with a checkpoint
 * or a snapshot (a failed first run leaves only its lock and state there).
 */
async function holdsData(p: string): Promise<boolean> {
  if (!(await exists(p))) return false;
  if (basename(p) !== 'checkpoints') return true;
  if ((await fs.readdir(p).catch(() => [] as string[])).some((n) => n.endsWith('.ckpt'))) return true;
  return (await fs.readdir(join(p, 'snapshots')).catch(() => [] as string[])).length > 0;
}

/** Moves each path that holds data into folder `to` under its own name; how many there were. */
async function moveAll(paths: readonly string[], to: string): Promise<number> {
  let moved = 0;
  for (const p of paths) {
    if (!(await holdsData(p))) continue;
    await makeDir(to);
    await fs.rename(p, join(to, basename(p)));
    moved++;
  }
  return moved;
}

/**
 * Moves the old video's derived data aside, brings back the new video's if it was replaced
 * before, drops the old video's frame caches, and (source) says which transfer settings the
 * project must record with `next`. Call before the project file records `next` (a crash in
 * between leaves the old video without its tracking, which re-importing it brings back,
 * rather than tracking that claims to be the new video's); the same video changes nothing.
 */
export async function replaceMediaData(dir: string, project: ProjectFile, role: VideoRole, next: MediaRef): Promise<ReplaceOutcome> {
  const prev = project.media[role];
  if (prev?.sha256 === next.sha256) return { archivedTo: null, restored: false, message: null };
  const paths = derived(dir, role);
  let archivedTo: string | null = null;
  let transferOut: TransferSettings | undefined;
  const said: string[] = [];
  if (prev) {
    const to = archiveDir(dir, role, prev.sha256);
    await fs.rm(to, { recursive: true, force: true }); // an older archive of the same video
    const moved = await moveAll(paths, to);
    const edits = parseEdits(project.edits);
    const timed = role === 'source' && (edits.transfer.enabled || edits.transfer.trimIn > 0 || edits.transfer.trimOut !== null || edits.transfer.timeOffsetSec !== 0);
    if (timed) {
      await makeDir(to);
      await writeFileAtomic(join(to, TRANSFER_FILE), JSON.stringify(edits.transfer));
      transferOut = { ...defaultTransfer(), groups: edits.transfer.groups };
    }
    if (moved || timed) {
      archivedTo = `replaced/${basename(to)}`;
      const what = role === 'target'
        ? 'The previous target video\'s tracking and checkpoints (trained on that footage)'
        : `The previous source video's tracking${timed ? ' and transfer timing' : ''}`;
      said.push(`${what} moved to ${archivedTo}; importing that video again brings them back.`);
      if (timed) said.push('The transfer is off until the new source is tracked and turned on again.');
    }
    await removeFrameCaches(dir, prev.sha256);
  }
  const back = archiveDir(dir, role, next.sha256);
  let restored = false;
  if (await exists(back)) {
    if (!(await Promise.all(paths.map(holdsData))).some(Boolean)) {
      for (const p of paths) {
        const from = join(back, basename(p));
        if (!(await exists(from))) continue;
        await fs.rm(p, { recursive: true, force: true }); // a checkpoints folder without checkpoints
        await makeDir(dirname(p));
        await fs.rename(from, p);
      }
      const transfer = await readTransfer(join(back, TRANSFER_FILE));
      if (transfer) transferOut = transfer;
      await fs.rm(back, { recursive: true, force: true });
      restored = true;
      said.push(`This video's earlier ${role === 'target' ? 'tracking and checkpoints' : 'tracking'}${transfer ? ' and transfer timing' : ''} came back from replaced/${basename(back)}.`);
    }
  }
  if (prev && !restored) said.push(`Track the new ${role} video before ${role === 'target' ? 'training or rendering' : 'turning the transfer on'}.`);
  return { archivedTo, restored, message: said.length ? said.join(' ') : null, ...(transferOut ? { transfer: transferOut } : {}) };
}

async function readTransfer(file: string): Promise<TransferSettings | null> {
  try {
    return TransferSettingsSchema.parse(JSON.parse(await fs.readFile(file, 'utf8'))) as TransferSettings;
  } catch {
    return null;
  }
}

/** Frame caches are named by the video's hash (training/dataset.ts) and rebuilt on demand. */
async function removeFrameCaches(dir: string, sha256: string): Promise<void> {
  const cache = join(dir, 'cache');
  const names = await fs.readdir(cache).catch(() => [] as string[]);
  for (const n of names) if (n.startsWith(`frames-${sha256.slice(0, 12)}-`)) await fs.rm(join(cache, n), { force: true });
}
