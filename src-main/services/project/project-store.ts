import { randomUUID } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { removeLeftovers } from '../../fs/leftovers.js';
import { basename, join, resolve } from 'node:path';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import { migrateProject } from '../../../src-shared/project/migrate.js';
import { PROJECT_FILE, PROJECT_SCHEMA_VERSION, ProjectFile, type VideoRole } from '../../../src-shared/project/schema.js';
import type { ProjectInfo } from '../../../src-shared/ipc/contract.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { ProjectLock } from './lock.js';
import { readCoverage } from './coverage.js';
import { makeDir } from '../../fs/make-dir.js';
import { ifPresent } from '../../fs/if-present.js';

export const PROJECT_SUBDIRS = ['tracks', 'cache', 'checkpoints', 'renders'] as const;

interface OpenProject {
  dir: string;
  lock: ProjectLock;
  project: ProjectFile;
  migratedFrom: number | null;
  /** Serialises saves so concurrent mutations never interleave. */
  queue: Promise<unknown>;
  /** Set once close() starts: saves queued meanwhile are still written before the lock goes. */
  closing: Promise<boolean> | null;
  /** The close has written its last save: from here a save waits for the close and reopens. */
  drained: boolean;
}

export interface ProjectStoreOptions {
  /** Shown in the lock file so another process can say who holds the project. */
  owner: string;
  onOpened?: (dir: string, project: ProjectFile) => void | Promise<void>;
}

/** Reads project.json without locking; every failure is a clear typed error. */
export async function readProjectFile(dir: string): Promise<{ project: ProjectFile; migratedFrom: number | null }> {
  const file = join(dir, PROJECT_FILE);
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      // A missing folder is said as such; a folder without project.json is another mistake.
      const folder = await fs.stat(dir).then((st) => (st.isDirectory() ? 'dir' : 'file'), () => 'missing' as const);
      if (folder === 'missing') throw new PortraitError('PROJECT_NOT_FOUND', `Folder not found: ${dir}.`);
      if (folder === 'file') throw new PortraitError('PROJECT_NOT_FOUND', `${dir} is a file, not a project folder.`);
      throw new PortraitError('PROJECT_NOT_FOUND', `No Portrait Studio project in ${dir} (project.json is missing).`);
    }
    throw e;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (e) {
    throw new PortraitError(
      'PROJECT_CORRUPT',
      `project.json in ${dir} is damaged and cannot be read (${(e as Error).message}). It has not been modified; restore it from a backup or the .bak file beside it.`,
    );
  }
  const r = migrateProject(raw);
  return { project: r.project, migratedFrom: r.migrated ? r.fromVersion : null };
}

/**
 * The project on disk is the source of truth. Every change goes through `update`, which
 * writes atomically while holding the folder's lock.
 */
export class ProjectStore {
  private readonly open = new Map<string, OpenProject>();
  private readonly opening = new Map<string, Promise<void>>();
  constructor(private readonly opts: ProjectStoreOptions) {}

  async create(dirIn: string, name?: string): Promise<ProjectInfo> {
    const dir = resolve(dirIn);
    const existing = await ifPresent(fs.readdir(dir));
    if (existing?.includes(PROJECT_FILE)) throw new PortraitError('PROJECT_EXISTS', `${dir} already contains a project; open it instead.`);
    // A project owns its folder: never spread one over someone's files (a project folder is also
    // what the studio cleans up in).
    const foreign = existing?.filter((n) => n !== '.DS_Store' && n !== 'Thumbs.db' && n !== 'desktop.ini') ?? [];
    if (foreign.length) {
      throw new PortraitError('BAD_REQUEST', `${dir} is not empty (${foreign.length} item${foreign.length === 1 ? '' : 's'}, e.g. ${foreign[0]}): choose a new or empty folder for the project.`);
    }
    await makeDir(dir);
    const lock = await ProjectLock.acquire(dir, this.opts.owner);
    try {
      for (const sub of PROJECT_SUBDIRS) await makeDir(join(dir, sub));
      const now = new Date().toISOString();
      const project = ProjectFile.parse({
        schemaVersion: PROJECT_SCHEMA_VERSION,
        id: randomUUID(),
        name: name ?? (basename(dir) || 'Untitled'),
        createdAt: now,
        updatedAt: now,
        media: { target: null, source: null },
      });
      await writeFileAtomic(join(dir, PROJECT_FILE), serialize(project));
      this.open.set(dir, { dir, lock, project, migratedFrom: null, queue: Promise.resolve(), closing: null, drained: false });
      await this.opts.onOpened?.(dir, project);
      return this.info(dir);
    } catch (e) {
      await lock.release();
      throw e;
    }
  }

  async openProject(dirIn: string): Promise<ProjectInfo> {
    const dir = resolve(dirIn);
    const entry = await this.entry(dir);
    await this.opts.onOpened?.(dir, entry.project);
    return this.info(dir);
  }

  /** The open entry of `dir`, opening it once however many callers ask at the same time. */
  private async entry(dir: string): Promise<OpenProject> {
    for (;;) {
      const open = this.open.get(dir);
      if (open && !open.closing) return open;
      // A project being closed is reopened after its close completes (its lock is released first).
      if (open?.closing) await open.closing;
      let opening = this.opening.get(dir);
      if (!opening) {
        opening = this.load(dir).finally(() => this.opening.delete(dir));
        this.opening.set(dir, opening);
      }
      await opening;
    }
  }

  private async load(dir: string): Promise<void> {
    if (this.open.has(dir)) return;
    const { project, migratedFrom } = await readProjectFile(dir);
    const lock = await ProjectLock.acquire(dir, this.opts.owner);
    for (const sub of PROJECT_SUBDIRS) await makeDir(join(dir, sub)).catch(() => {});
    // We hold the lock: temporaries and partial renders of processes that died are garbage now.
    for (const d of [dir, ...PROJECT_SUBDIRS.map((s) => join(dir, s)), join(dir, 'checkpoints', 'snapshots'), join(dir, 'checkpoints', 'evaluations')]) {
      await removeLeftovers(d);
    }
    this.open.set(dir, { dir, lock, project, migratedFrom, queue: Promise.resolve(), closing: null, drained: false });
  }

  /** The folders of the projects this store has open (canonical paths). */
  openDirs(): string[] {
    return [...this.open.keys()];
  }

  isOpen(dirIn: string): boolean {
    return this.open.has(resolve(dirIn));
  }

  get(dirIn: string): ProjectFile {
    const entry = this.open.get(resolve(dirIn));
    if (!entry) throw new PortraitError('PROJECT_NOT_OPEN', `The project ${dirIn} is not open.`);
    return entry.project;
  }

  /**
   * Applies a change and saves it. An older-format file is backed up once before its
   * first rewrite, so a downgrade never loses the user's project.
   */
  async update(dirIn: string, mutate: (p: ProjectFile) => ProjectFile | void): Promise<ProjectFile> {
    const dir = resolve(dirIn);
    const current = this.open.get(dir);
    const entry = current?.closing && !current.drained ? current : await this.entry(dir);
    const run = entry.queue.then(async (): Promise<ProjectFile> => {
      // The close drained this entry just before our turn: save through the reopened project.
      if (entry.drained) return this.update(dir, mutate);
      const draft = structuredClone(entry.project);
      const next = ProjectFile.parse(mutate(draft) ?? draft);
      next.updatedAt = new Date().toISOString();
      if (entry.migratedFrom !== null) {
        const bak = join(dir, `project.v${entry.migratedFrom}.json.bak`);
        await fs.copyFile(join(dir, PROJECT_FILE), bak, fs.constants.COPYFILE_EXCL).catch((e: NodeJS.ErrnoException) => {
          if (e.code !== 'EEXIST') throw e;
        });
      }
      await writeFileAtomic(join(dir, PROJECT_FILE), serialize(next));
      entry.project = next;
      entry.migratedFrom = null;
      return next;
    });
    entry.queue = run.catch(() => {});
    return run;
  }

  async close(dirIn: string): Promise<boolean> {
    const dir = resolve(dirIn);
    await this.opening.get(dir)?.catch(() => {});
    const entry = this.open.get(dir);
    if (!entry) return false;
    entry.closing ??= (async () => {
      // Drain every save, including those queued while we waited, before the lock is released.
      for (let q = entry.queue; ; q = entry.queue) {
        await q;
        if (entry.queue === q) break;
      }
      entry.drained = true;
      await entry.lock.release();
      this.open.delete(dir);
      return true;
    })();
    return entry.closing;
  }

  async closeAll(): Promise<void> {
    for (const dir of [...this.open.keys()]) await this.close(dir);
  }

  /** Works on open and closed projects alike (read-only). */
  async info(dirIn: string): Promise<ProjectInfo> {
    const dir = resolve(dirIn);
    const entry = this.open.get(dir);
    const { project, migratedFrom } = entry ? { project: entry.project, migratedFrom: entry.migratedFrom } : await readProjectFile(dir);
    const tracking = [];
    for (const role of ['target', 'source'] as VideoRole[]) {
      const ref = project.media[role];
      if (!ref) continue;
      tracking.push({ role, frames: ref.probe.frameCount, ...(await readCoverage(dir, role)) });
    }
    const checkpoints = await listFiles(join(dir, 'checkpoints'));
    const ckpts = checkpoints.filter((f) => f.name.endsWith('.ckpt'));
    const steps = ckpts.map((f) => Number(/step-(\d+)/.exec(f.name)?.[1] ?? NaN)).filter(Number.isFinite);
    const renders = (await listFiles(join(dir, 'renders'))).filter((f) => !f.name.startsWith('.'));
    return {
      dir,
      project,
      migratedFrom,
      tracking,
      training: { checkpoints: ckpts.length, lastStep: steps.length ? Math.max(...steps) : null },
      renders: renders.map((f) => ({ file: join(dir, 'renders', f.name), sizeBytes: f.size, modifiedAt: f.mtime })),
    };
  }
}

function serialize(p: ProjectFile): string {
  return `${JSON.stringify(p, null, 2)}\n`;
}

async function listFiles(dir: string): Promise<Array<{ name: string; size: number; mtime: string }>> {
  let names: string[];
  try {
    names = await fs.readdir(dir);
  } catch {
    return [];
  }
  const out = [];
  for (const name of names.sort()) {
    const st = await fs.stat(join(dir, name)).catch(() => null);
    if (st?.isFile()) out.push({ name, size: st.size, mtime: st.mtime.toISOString() });
  }
  return out;
}
