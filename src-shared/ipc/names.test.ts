import { describe, expect, it } from 'vitest';
import { contract } from './contract.js';
import { AbsPath, SnapshotName, absPathOn } from './names.js';

describe('paths and names in the contract', () => {
  it('a path must be absolute and free of NUL bytes; the page accepts both forms, the host only its own', () => {
    const windows = ['C:\\Users\\ana\\film', 'D:/film', '\\\\server\\share\\film'];
    const bad = ['film', './film', '../film', '', 'C:film', '/a\0b'];
    for (const ok of ['/home/ana/film', ...windows]) expect(absPathOn('any').safeParse(ok).success).toBe(true);
    for (const ok of ['/home/ana/film', ...windows]) expect(absPathOn('win32').safeParse(ok).success).toBe(true);
    expect(absPathOn('posix').safeParse('/home/ana/film').success).toBe(true);
    // On Linux these are relative names: a project would be created in the host's working folder.
    for (const w of windows) expect(absPathOn('posix').safeParse(w).success).toBe(false);
    for (const b of bad) for (const p of ['any', 'win32', 'posix'] as const) expect(absPathOn(p).safeParse(b).success).toBe(false);
    // Under Node (this test, the host) the contract checks this machine's form.
    expect(AbsPath.safeParse('C:\\nope').success).toBe(process.platform === 'win32');
  });

  it('a snapshot is a name, never a path', () => {
    for (const ok of ['first look', 'v1.2', 'take_3-final']) expect(SnapshotName.safeParse(ok).success).toBe(true);
    for (const bad of ['..', '../../../../outside/evil', 'a/b', 'a\\b', '.hidden', '']) expect(SnapshotName.safeParse(bad).success).toBe(false);
  });

  it('the channels that take a snapshot or a folder use them', () => {
    const train = contract['training.start'].request;
    expect(train.safeParse({ dir: '/p', fromSnapshot: '../../../../outside/evil' }).success).toBe(false);
    expect(train.safeParse({ dir: 'relative/p' }).success).toBe(false);
    expect(train.safeParse({ dir: '/p', fromSnapshot: 'first look' }).success).toBe(true);
    expect(contract['evaluation.start'].request.safeParse({ dir: '/p', snapshot: '../x' }).success).toBe(false);
    expect(contract['project.create'].request.safeParse({ dir: 'p' }).success).toBe(false);
  });
});
