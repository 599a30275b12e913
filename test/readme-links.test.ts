import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Relative link targets of a markdown file (no http(s), mailto or in-page anchors). */
function relativeLinks(md: string): string[] {
  const out: string[] = [];
  for (const m of md.matchAll(/\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g)) {
    const target = m[1]!;
    if (/^[a-z]+:/i.test(target) || target.startsWith('#')) continue;
    out.push(target.split('#')[0]!);
  }
  return out;
}

describe('README links (issue 16 item 19)', () => {
  it('every relative link of the README resolves inside a plain clone', async () => {
    const md = await readFile(join(ROOT, 'README.md'), 'utf8');
    const links = relativeLinks(md);
    expect(links.length).toBeGreaterThan(3);
    const broken = links.filter((l) => l.startsWith('..') || !existsSync(join(ROOT, l)));
    expect(broken).toEqual([]);
  });

  it('the link finder sees the links it must check', () => {
    expect(relativeLinks('[a](x/y.md) [b](https://e.org) [c](#top) [d](../z.md#s)')).toEqual(['x/y.md', '../z.md']);
  });
});
