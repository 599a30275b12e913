import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isPortraitError } from '../../../src-shared/ipc/errors.js';
import { browseRoots, listFolder } from './list-folder.js';

let base: string;
let home: string;
let project: string;
let outside: string;

beforeEach(async () => {
  base = await fs.realpath(await fs.mkdtemp(join(tmpdir(), 'portrait-files-')));
  home = join(base, 'home');
  project = join(base, 'elsewhere', 'my project');
  outside = join(base, 'outside');
  for (const d of [join(home, 'Videos', 'shoot 2'), join(home, '.hidden'), project, outside]) await fs.mkdir(d, { recursive: true });
  await fs.writeFile(join(home, 'Videos', 'take10.mp4'), 'x'.repeat(10));
  await fs.writeFile(join(home, 'Videos', 'take9.MOV'), 'x');
  await fs.writeFile(join(home, 'Videos', 'notes.txt'), 'x');
  await fs.writeFile(join(outside, 'secret.mp4'), 'x');
  await fs.symlink(outside, join(home, 'Videos', 'link-out'));
});
afterEach(() => fs.rm(base, { recursive: true, force: true }));

const code = async (p: Promise<unknown>) => p.then(() => 'ok', (e: unknown) => (isPortraitError(e) ? e.code : String(e)));

describe('listFolder (issue 16 item 14: the browser-mode picker)', () => {
  const roots = () => browseRoots([home], home, [project]);

  it('starts at the first root and lists folders first, names in natural order, hidden entries left out', async () => {
    const l = await listFolder({ show: 'all' }, roots());
    expect(l.path).toBe(home);
    expect(l.parent).toBeNull();
    expect(l.entries.map((e) => e.name)).toEqual(['Videos']);
    expect(l.roots).toEqual([{ label: 'Home', path: home }, { label: 'Project: my project', path: project }]);
    const v = await listFolder({ path: join(home, 'Videos'), show: 'video' }, roots());
    expect(v.entries.map((e) => [e.name, e.kind])).toEqual([['link-out', 'dir'], ['shoot 2', 'dir'], ['take9.MOV', 'file'], ['take10.mp4', 'file']]);
    expect(v.entries.find((e) => e.name === 'take10.mp4')?.size).toBe(10);
    expect(v.parent).toBe(home);
    expect((await listFolder({ path: join(home, 'Videos'), show: 'folders' }, roots())).entries.every((e) => e.kind === 'dir')).toBe(true);
    expect((await listFolder({ path: join(home, 'Videos'), show: 'all' }, roots())).entries.map((e) => e.name)).toContain('notes.txt');
  });

  it('lists an open project outside the home folder, and nothing else outside the roots', async () => {
    expect((await listFolder({ path: project, show: 'all' }, roots())).path).toBe(project);
    expect(await code(listFolder({ path: outside, show: 'all' }, roots()))).toBe('PERMISSION_DENIED');
    expect(await code(listFolder({ path: join(base, 'elsewhere'), show: 'all' }, roots()))).toBe('PERMISSION_DENIED');
    // A symbolic link inside the home folder that leads outside is refused where it leads.
    expect(await code(listFolder({ path: join(home, 'Videos', 'link-out'), show: 'all' }, roots()))).toBe('PERMISSION_DENIED');
    // .. cannot climb out either.
    expect(await code(listFolder({ path: join(home, '..', 'outside'), show: 'all' }, roots()))).toBe('PERMISSION_DENIED');
  });

  it('says a missing folder or a file plainly', async () => {
    await expect(listFolder({ path: join(home, 'gone'), show: 'all' }, roots())).rejects.toThrow(/^Folder not found: /);
    expect(await code(listFolder({ path: join(home, 'Videos', 'take9.MOV'), show: 'all' }, roots()))).toBe('BAD_REQUEST');
  });

  it('a confined host browses its project roots only, never the home folder', async () => {
    const confined = browseRoots([outside], home, []);
    expect((await listFolder({ show: 'video' }, confined)).path).toBe(outside);
    expect(await code(listFolder({ path: home, show: 'all' }, confined))).toBe('PERMISSION_DENIED');
  });
});
