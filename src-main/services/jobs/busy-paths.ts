import { realpathSync } from 'node:fs';
import { resolve } from 'node:path';
import { PortraitError } from '../../../src-shared/ipc/errors.js';

/**
 * One spelling per file-system location: `dir`, `dir/`, `./dir` and a symbolic link to it are
 * the same project. A path that does not exist yet keeps its resolved form.
 */
export function canonicalPath(p: string): string {
  const abs = resolve(p);
  try {
    return realpathSync.native(abs);
  } catch {
    return abs;
  }
}

/**
 * Which locations a running job holds (a project being trained, a video being tracked, a render
 * output). The claim is taken in the job's precheck, before the job is started, so two requests
 * that arrive together cannot both pass; the job releases it when it ends.
 */
export class BusyPaths {
  private readonly held = new Set<string>();
  private readonly claims = new WeakMap<object, string>();

  static key(path: string, ...qualifiers: string[]): string {
    return [canonicalPath(path), ...qualifiers].join('\0');
  }

  has(key: string): boolean {
    return this.held.has(key);
  }

  /** Takes `key` for the job that will run `req`, or refuses with JOB_CONFLICT and `message`. */
  claim(req: object, key: string, message: string): void {
    if (this.held.has(key)) throw new PortraitError('JOB_CONFLICT', message);
    this.held.add(key);
    this.claims.set(req, key);
  }

  /** Runs the job of `req` and frees its claim however it ends. */
  async hold<T>(req: object, run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } finally {
      const key = this.claims.get(req);
      if (key !== undefined) {
        this.held.delete(key);
        this.claims.delete(req);
      }
    }
  }
}
