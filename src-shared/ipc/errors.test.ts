import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PortraitError, toErrorShape } from './errors.js';

/** What a real file-system call throws, as the wire shape a user sees. */
async function shapeOf(op: () => Promise<unknown>) {
  try {
    await op();
  } catch (e) {
    return toErrorShape(e);
  }
  throw new Error('expected the operation to fail');
}

describe('errors a user can act on', () => {
  it('maps real file-system failures to typed codes with the path, never INTERNAL', async () => {
    const root = await fs.mkdtemp(join(tmpdir(), 'errors-'));
    const file = join(root, 'a.txt');
    await fs.writeFile(file, 'x');
    expect(await shapeOf(() => fs.readFile(join(root, 'missing')))).toMatchObject({ code: 'FILE_NOT_FOUND' });
    expect(await shapeOf(() => fs.mkdir(file))).toMatchObject({ code: 'FILE_EXISTS', message: expect.stringContaining(file) });
    expect(await shapeOf(() => fs.readFile(join(file, 'inside')))).toMatchObject({ code: 'FILE_NOT_FOUND', message: expect.stringMatching(/not a folder/) });
    expect(await shapeOf(() => fs.readFile(root))).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/folder/) });
    expect(await shapeOf(() => fs.writeFile(join(root, 'n'.repeat(300)), 'x'))).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/too long/) });
    expect(await shapeOf(() => fs.readFile(join(root, 'a\0b')))).toMatchObject({ code: 'BAD_REQUEST', message: expect.stringMatching(/NUL/) });
    await fs.rm(root, { recursive: true, force: true });
  });

  it('keeps a PortraitError as it is and hides an unknown error behind INTERNAL without its stack', () => {
    expect(toErrorShape(new PortraitError('NO_FACE', 'no face in frame 3'))).toEqual({ code: 'NO_FACE', message: 'no face in frame 3' });
    const shape = toErrorShape(new TypeError('x is undefined'));
    expect(shape.code).toBe('INTERNAL');
    expect(JSON.stringify(shape)).not.toMatch(/at .*\(/);
  });
});
