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

/**
 * An exclusive lock on a project folder: two windows or processes never write the same
 * project. A lock left by a dead process on this host is taken over; one held by a live
 * process (or another host, which we cannot check) is refused with who holds it. An
 * unreadable lock file is taken over at once (no age check): a crash while writing it is
 * the only way we know to produce one, since it is created with its content in one write.
 */
export class ProjectLock {
  private constructor(readonly dir: string, readonly path: string) {}

  static async acquire(dir: string, owner: string, file = LOCK_FILE, what = 'This project'): Promise<ProjectLock> {
    const path = join(dir, file);
    const info: LockInfo = { pid: process.pid, host: hostname(), createdAt: new Date().toISOString(), owner };
    for (let attempt = 0; attempt < 2; attempt++) {
      try {
        await fs.writeFile(path, JSON.stringify(info), { flag: 'wx' });
        return new ProjectLock(dir, path);
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      let held: Partial<LockInfo> = {};
      try {
        held = JSON.parse(await fs.readFile(path, 'utf8')) as LockInfo;
      } catch {
        /* unreadable (empty, truncated by a crash mid-write, not JSON): taken over below */
      }
      const sameHost = held.host === hostname();
      if (held.pid === process.pid && sameHost) {
        throw new PortraitError('PROJECT_LOCKED', `${what} is already in use in this app (${held.owner ?? 'another window'}).`);
      }
      const stale = sameHost && typeof held.pid === 'number' && !alive(held.pid);
      const unreadable = held.pid === undefined;
      if (!stale && !unreadable) {
        throw new PortraitError(
          'PROJECT_LOCKED',
          `${what} is in use by another Portrait Studio process (pid ${held.pid} on ${held.host}, since ${held.createdAt}). Close it there first.`,
        );
      }
      await fs.rm(path, { force: true });
    }
    throw new PortraitError('PROJECT_LOCKED', 'Could not lock the project folder.');
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
