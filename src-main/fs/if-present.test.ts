import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ifPresent } from './if-present.js';

describe('ifPresent', () => {
  it('the result for a file that exists, null for a missing one, and any other failure thrown', async () => {
    const dir = await fs.mkdtemp(join(tmpdir(), 'if-present-'));
    try {
      await fs.writeFile(join(dir, 'a'), 'x');
      expect(await ifPresent(fs.readFile(join(dir, 'a'), 'utf8'))).toBe('x');
      expect(await ifPresent(fs.readFile(join(dir, 'missing'), 'utf8'))).toBeNull();
      // a folder read as a file: EISDIR, not "missing"
      await expect(ifPresent(fs.readFile(dir))).rejects.toMatchObject({ code: 'EISDIR' });
    } finally {
      await fs.rm(dir, { recursive: true, force: true });
    }
  });
});
