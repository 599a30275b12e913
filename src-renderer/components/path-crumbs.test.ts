import { describe, expect, it } from 'vitest';
import { crumbsOf } from './path-crumbs.js';

describe('crumbsOf', () => {
  const roots = [{ label: 'Home', path: '/home/ann' }, { label: 'Project: cut', path: '/home/ann/work/cut' }];
  it('starts at the deepest root that holds the folder, named by its label', () => {
    expect(crumbsOf({ path: '/home/ann/work/cut/footage', roots })).toEqual([
      { name: 'Project: cut', path: '/home/ann/work/cut' },
      { name: 'footage', path: '/home/ann/work/cut/footage' },
    ]);
    expect(crumbsOf({ path: '/home/ann', roots })).toEqual([{ name: 'Home', path: '/home/ann' }]);
    expect(crumbsOf({ path: '/home/anna', roots })).toEqual([{ name: '/home/anna', path: '/home/anna' }]);
  });
  it('handles a filesystem root and Windows paths', () => {
    expect(crumbsOf({ path: '/srv/a', roots: [{ label: 'All', path: '/' }] }).map((c) => c.path)).toEqual(['/', '/srv', '/srv/a']);
    expect(crumbsOf({ path: 'C:\\Users\\ann\\Videos', roots: [{ label: 'Home', path: 'C:\\Users\\ann' }] }).map((c) => c.path)).toEqual(['C:\\Users\\ann', 'C:\\Users\\ann\\Videos']);
  });
});
