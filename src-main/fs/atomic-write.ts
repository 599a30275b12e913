import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import { basename, dirname, join } from 'node:path';

/**
 * Write-temp, fsync, rename, fsync-dir: after a crash at any instant the destination is
 * either the old complete file or the new complete file, never a torn one.
 * On failure (e.g. a full disk) the temp file is removed and the old file is untouched.
 */
export async function writeFileAtomic(path: string, data: string | Uint8Array): Promise<void> {
  await writeAtomicWith(path, (handle) => handle.writeFile(data));
}

/**
 * The same guarantee for content written piece by piece (`fill` writes into the open temp
 * file): what is too big to hold whole is streamed, and still lands whole or not at all.
 */
export async function writeAtomicWith(path: string, fill: (handle: fs.FileHandle) => Promise<void>): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(4).toString('hex')}.tmp`);
  let handle: fs.FileHandle | null = null;
  try {
    handle = await fs.open(tmp, 'wx', 0o644);
    await fill(handle);
    await handle.sync();
    await handle.close();
    handle = null;
    await fs.rename(tmp, path);
  } catch (e) {
    if (handle) await handle.close().catch(() => {});
    await fs.rm(tmp, { force: true }).catch(() => {});
    throw e;
  }
  await fsyncDir(dir);
}

async function fsyncDir(dir: string): Promise<void> {
  // Directory fsync makes the rename durable; not supported on every platform.
  let h: fs.FileHandle | null = null;
  try {
    h = await fs.open(dir, 'r');
    await h.sync();
  } catch {
    /* best effort (Windows cannot open directories) */
  } finally {
    await h?.close().catch(() => {});
  }
}
