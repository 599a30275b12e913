import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { BusyPaths } from './busy-paths.js';

describe('BusyPaths', () => {
  it('one project under every spelling: trailing slash, dot segments, a symbolic link', async () => {
    const root = await fs.mkdtemp(join(tmpdir(), 'busy-'));
    const dir = join(root, 'proj');
    await fs.mkdir(dir);
    await fs.symlink(dir, join(root, 'link'));
    const busy = new BusyPaths();
    const first = {};
    busy.claim(first, BusyPaths.key(dir), 'busy');
    for (const other of [`${dir}/`, join(root, '.', 'proj'), `${root}/x/../proj`, join(root, 'link')]) {
      expect(() => busy.claim({}, BusyPaths.key(other), 'already training')).toThrow(expect.objectContaining({ code: 'JOB_CONFLICT', message: 'already training' }));
    }
    // Another role of the same project is another key.
    expect(() => busy.claim({}, BusyPaths.key(dir, 'source'), 'x')).not.toThrow();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('the claim is freed when the job ends, whether it succeeds or fails', async () => {
    const busy = new BusyPaths();
    const a = {};
    busy.claim(a, BusyPaths.key('/tmp/p'), 'busy');
    await expect(busy.hold(a, () => Promise.reject(new Error('boom')))).rejects.toThrow('boom');
    expect(busy.has(BusyPaths.key('/tmp/p'))).toBe(false);
    const b = {};
    busy.claim(b, BusyPaths.key('/tmp/p'), 'busy');
    expect(await busy.hold(b, async () => 7)).toBe(7);
    expect(busy.has(BusyPaths.key('/tmp/p'))).toBe(false);
  });
});
