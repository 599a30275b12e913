import { describe, expect, it } from 'vitest';
import { contract } from './contract.js';
import { AbsPath, SnapshotName } from './names.js';

describe('paths and names in the contract', () => {
  it('a path must be absolute and free of NUL bytes', () => {
    for (const ok of ['/home/ana/film', 'C:\\Users\\ana\\film', 'D:/film', '\\\\server\\share\\film']) expect(AbsPath.safeParse(ok).success).toBe(true);
    for (const bad of ['film', './film', '../film', '', 'C:film', '/a\0b']) expect(AbsPath.safeParse(bad).success).toBe(false);
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
