import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { PortraitError } from '../../../src-shared/ipc/errors.js';

export const LOCK_FILE = 'project.lock';

interface LockInfo {
  pid: number;
  host: string;
  createdAt: string;
  owner: string;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** A lock file that cannot be read this long after it was last written was left by a crash. */
const UNREADABLE_STALE_MS = 10_000;

/**
 * An exclusive lock on a project folder: two windows or processes never write the same
 * project. The lock file appears with its whole content at once (written to a temporary, then
 * hard-linked into place, which fails if a lock exists), so a reader never sees a half-made
 * lock. A lock left by a dead process on this host is taken over (see takeOver: one contender
 * at a time, and only the very lock judged stale is removed); one held by a live process (or
 * another host, which we cannot check) is refused with who holds it. An unreadable lock (an
 * older version's crash mid-write, or a file system without hard links) counts as stale once
 * it is UNREADABLE_STALE_MS old.
 */
export class ProjectLock {
  private constructor(readonly dir: string, readonly path: string) {}

  static async acquire(dir: string, owner: string, file = LOCK_FILE, what = 'This project'): Promise<ProjectLock> {
    const path = join(dir, file);
    const info: LockInfo = { pid: process.pid, host: hostname(), createdAt: new Date().toISOString(), owner };
    const tmp = join(dir, `.${file}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
    await fs.writeFile(tmp, JSON.stringify(info));
    try {
      for (let attempt = 0; attempt < 50; attempt++) {
        try {
          await place(tmp, path, info);
          return new ProjectLock(dir, path);
        } catch (e) {
          if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
        }
        const seen = await readLock(path);
        if (seen === 'gone') continue;
        const held = seen.info;
        const sameHost = held?.host === hostname();
        if (held && held.pid === process.pid && sameHost) {
          throw new PortraitError('PROJECT_LOCKED', `${what} is already in use in this app (${held.owner ?? 'another window'}).`);
        }
        const stale = held ? sameHost && typeof held.pid === 'number' && !alive(held.pid) : Date.now() - seen.mtimeMs > UNREADABLE_STALE_MS;
        if (!stale) {
          throw new PortraitError(
            'PROJECT_LOCKED',
            held
              ? `${what} is in use by another Portrait Studio process (pid ${held.pid} on ${held.host}, since ${held.createdAt}). Close it there first.`
              : `${what} is being opened by another Portrait Studio process. Try again in a moment.`,
          );
        }
        await takeOver(path, seen.text);
      }
      throw new PortraitError('PROJECT_LOCKED', `Could not lock ${what.toLowerCase()}: other processes keep taking it.`);
    } finally {
      await fs.rm(tmp, { force: true });
    }
  }

  async release(): Promise<void> {
    try {
      const held = JSON.parse(await fs.readFile(this.path, 'utf8')) as LockInfo;
      if (held.pid !== process.pid) return;
    } catch {
      return;
    }
    await fs.rm(this.path, { force: true });
  }
}

/**
 * Puts the lock in place whole: a hard link of the written temporary (EEXIST if a lock is
 * there). File systems without hard links (FAT/exFAT drives, some network shares) fall back to
 * an exclusive create, whose content lands a moment later (readers treat a young empty lock as
 * held, see UNREADABLE_STALE_MS).
 */
async function place(tmp: string, path: string, info: LockInfo): Promise<void> {
  try {
    await fs.link(tmp, path);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS' && code !== 'EXDEV') throw e;
    await fs.writeFile(path, JSON.stringify(info), { flag: 'wx' });
  }
}

async function readLock(path: string): Promise<'gone' | { text: string; info: Partial<LockInfo> | null; mtimeMs: number }> {
  try {
    const [text, st] = await Promise.all([fs.readFile(path, 'utf8'), fs.stat(path)]);
    let info: Partial<LockInfo> | null = null;
    try {
      const j = JSON.parse(text) as Partial<LockInfo>;
      if (typeof j.pid === 'number') info = j;
    } catch {
      /* unreadable */
    }
    return { text, info, mtimeMs: st.mtimeMs };
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'gone';
    throw e;
  }
}

/**
 * Removes the stale lock whose content was `staleText`, and only that one. Contenders take turns
 * through a guard file; under it the lock is read again and removed only if it is still the
 * stale one, so a lock another process made meanwhile is never removed. A contender that finds
 * the guard taken returns and tries again from the top (and gives up after a few rounds, with
 * PROJECT_LOCKED). A guard older than UNREADABLE_STALE_MS was left by a crash and is cleared.
 */
async function takeOver(path: string, staleText: string): Promise<void> {
  const guard = `${path}.takeover`;
  try {
    await fs.writeFile(guard, String(process.pid), { flag: 'wx' });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
    const st = await fs.stat(guard).catch(() => null);
    if (st && Date.now() - st.mtimeMs > UNREADABLE_STALE_MS) await fs.rm(guard, { force: true });
    else await new Promise((r) => setTimeout(r, 20));
    return;
  }
  try {
    const now = await fs.readFile(path, 'utf8').catch(() => null);
    if (now === staleText) await fs.rm(path, { force: true });
  } finally {
    await fs.rm(guard, { force: true });
  }
}
