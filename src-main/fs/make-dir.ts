import { promises as fs } from 'node:fs';
import { dirname } from 'node:path';

/**
 * mkdir -p that reports the real cause. Node's recursive mkdir answers ENOENT for failures
 * that are not a missing parent (a read-only file system, for one), which would tell the user
 * "does not exist" about a folder they are trying to create. On ENOENT the first missing
 * ancestor is made plainly, which throws the true errno (EROFS, EACCES, ENOTDIR...).
 */
export async function makeDir(path: string): Promise<void> {
  try {
    await fs.mkdir(path, { recursive: true });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    let missing = path;
    for (;;) {
      const parent = dirname(missing);
      if (parent === missing || (await fs.lstat(parent).then(() => true, () => false))) break;
      missing = parent;
    }
    await fs.mkdir(missing); // throws the real cause
    await fs.mkdir(path, { recursive: true }); // it was a race after all: go on
  }
}
