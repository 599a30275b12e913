import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { toErrorShape } from '../../src-shared/ipc/errors.js';
import { makeDir } from './make-dir.js';

const root = mkdtempSync(join(tmpdir(), 'mkdir-'));
/** A read-only tmpfs needs a mount (root with the capability, as on this project's CI); elsewhere that case is skipped. */
const readOnly = ((): string | null => {
  const ro = join(root, 'ro');
  mkdirSync(ro);
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,ro', 'tmpfs', ro], { stdio: 'ignore' });
    return ro;
  } catch {
    return null;
  }
})();

afterAll(async () => {
  if (readOnly) execFileSync('umount', [readOnly]);
  await fs.rm(root, { recursive: true, force: true });
});

describe('makeDir', () => {
  it('makes nested folders, and is a no-op on an existing one', async () => {
    await makeDir(join(root, 'a', 'b', 'c'));
    await makeDir(join(root, 'a', 'b', 'c'));
    expect((await fs.stat(join(root, 'a', 'b', 'c'))).isDirectory()).toBe(true);
  });

  it('a file in the way is ENOTDIR or EEXIST, never "does not exist"', async () => {
    await fs.writeFile(join(root, 'file'), 'x');
    const e = await makeDir(join(root, 'file', 'sub')).catch((x: unknown) => x);
    expect(['ENOTDIR', 'EEXIST']).toContain((e as NodeJS.ErrnoException).code);
  });

  it.skipIf(!readOnly)('a read-only file system is PERMISSION_DENIED "read-only" (plain recursive mkdir says ENOENT)', async () => {
    const target = join(readOnly!, 'p', 'q');
    expect(await fs.mkdir(target, { recursive: true }).catch((x: NodeJS.ErrnoException) => x.code)).toBe('ENOENT'); // the quirk
    const e = await makeDir(target).catch((x: unknown) => x);
    expect((e as NodeJS.ErrnoException).code).toBe('EROFS');
    expect(toErrorShape(e)).toMatchObject({ code: 'PERMISSION_DENIED', message: expect.stringContaining('read-only') });
  });
});
