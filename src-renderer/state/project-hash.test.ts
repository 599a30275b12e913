import { describe, expect, it } from 'vitest';
import { projectFromHash, projectHash } from './project-hash.js';

describe('project in the page address (issue 16, item 7)', () => {
  it('round-trips any folder, Windows and spaces included; nothing or garbage is no project', () => {
    for (const dir of ['/home/u/Portrait Studio/demo #1', 'C:\\\\p\\\\démo', '/a/b?c=d&e']) expect(projectFromHash(projectHash(dir))).toBe(dir);
    expect(projectHash(null)).toBe('');
    expect(projectFromHash('')).toBeNull();
    expect(projectFromHash('#other=1')).toBeNull();
    expect(projectFromHash('#project=%E0%A4%A')).toBeNull();
    expect(projectFromHash('#project=%20')).toBeNull();
  });
});
