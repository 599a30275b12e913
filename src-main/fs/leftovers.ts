import { promises as fs } from 'node:fs';
import { join } from 'node:path';

/**
 * Files a killed process left behind: the temporary of an atomic write
 * (`.<name>.<pid>.<hex>.tmp`) and a render's partial output (`.<name>.partial-<pid>.<ext>`, or a
 * `<name>.partial-<pid>` folder holding only PNG frames). Each names the process that wrote it;
 * only those of processes that no longer run are removed, so a write in progress (this process
 * or another studio on the same folder) is never touched. A pid reused by an unrelated process
 * keeps its leftover: the safe side.
 */
const ATOMIC_TMP = /^\..+\.(\d+)\.[0-9a-f]{8}\.tmp$/;
const PARTIAL_FILE = /^\..+\.partial-(\d+)(\.[A-Za-z0-9]+)?$/;
const PARTIAL_PNG_DIR = /^.+\.partial-(\d+)$/;
const PNG_FRAME = /^\d{6}\.png$/;

export function processAlive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    // EPERM: it runs, as another user.
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Removes the leftovers of dead processes directly inside `dir`; returns their names. */
export async function removeLeftovers(dir: string): Promise<string[]> {
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  const removed: string[] = [];
  for (const e of entries) {
    const m = (e.isFile() && (ATOMIC_TMP.exec(e.name) ?? PARTIAL_FILE.exec(e.name))) || (e.isDirectory() && PARTIAL_PNG_DIR.exec(e.name));
    if (!m || processAlive(Number(m[1]))) continue;
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      const inside = await fs.readdir(path).catch(() => null);
      if (!inside || !inside.every((n) => PNG_FRAME.test(n))) continue;
    }
    await fs.rm(path, { recursive: true, force: true }).catch(() => {});
    removed.push(e.name);
  }
  return removed;
}
