import { promises as fs } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { RecentProject } from '../../../src-shared/ipc/contract.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { makeDir } from '../../fs/make-dir.js';

export const MAX_RECENT = 12;

/** Where recents live: electron-store in the desktop app, a JSON file in browser mode. */
export interface RecentBackend {
  read(): Promise<unknown>;
  write(list: RecentProject[]): Promise<void>;
}

export function configDir(): string {
  return process.env['PORTRAIT_CONFIG_DIR'] ?? join(process.env['XDG_CONFIG_HOME'] ?? join(homedir(), '.config'), 'portrait-studio');
}

export class FileRecentBackend implements RecentBackend {
  constructor(private readonly file = join(configDir(), 'recent-projects.json')) {}
  async read(): Promise<unknown> {
    try {
      return JSON.parse(await fs.readFile(this.file, 'utf8'));
    } catch {
      return [];
    }
  }
  async write(list: RecentProject[]): Promise<void> {
    await makeDir(join(this.file, '..'));
    await writeFileAtomic(this.file, JSON.stringify(list, null, 2));
  }
}

export class RecentProjects {
  constructor(private readonly backend: RecentBackend) {}

  async list(): Promise<RecentProject[]> {
    const parsed = z.array(RecentProject).safeParse(await this.backend.read());
    const all = parsed.success ? parsed.data : [];
    const present: RecentProject[] = [];
    for (const r of all) {
      const ok = await fs.access(join(r.dir, 'project.json')).then(() => true, () => false);
      if (ok) present.push(r);
    }
    return present;
  }

  async touch(dir: string, name: string): Promise<void> {
    const parsed = z.array(RecentProject).safeParse(await this.backend.read());
    const rest = (parsed.success ? parsed.data : []).filter((r) => r.dir !== dir);
    await this.backend.write([{ dir, name, openedAt: new Date().toISOString() }, ...rest].slice(0, MAX_RECENT));
  }
}
