import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO } from './helpers/paths.js';

function files(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...files(p));
    else if (/\.(ts|tsx)$/.test(name)) out.push(p);
  }
  return out;
}

function imports(file: string): string[] {
  const src = readFileSync(file, 'utf8');
  const re = /(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s+['"]([^'"]+)['"]/gm;
  const out: string[] = [];
  for (let m; (m = re.exec(src)); ) out.push((m[1] ?? m[2] ?? m[3])!);
  return out;
}

const NODE_BUILTINS = /^(node:|fs$|path$|os$|child_process$|worker_threads$|crypto$|http$|net$|url$|stream$|events$|util$)/;

describe('layering (dependencies point one way)', () => {
  it('src-shared imports no Node, DOM or Electron module and nothing from main or renderer', () => {
    const bad: string[] = [];
    for (const f of files(join(REPO, 'src-shared'))) {
      if (f.endsWith('.test.ts')) continue;
      for (const spec of imports(f)) {
        if (NODE_BUILTINS.test(spec) || spec === 'electron' || /src-main|src-renderer/.test(spec) || spec === 'react' || spec === 'three') {
          bad.push(`${relative(REPO, f)} -> ${spec}`);
        }
      }
    }
    expect(bad).toEqual([]);
  });

  it('src-renderer never imports src-main, Node or Electron', () => {
    const bad: string[] = [];
    for (const f of files(join(REPO, 'src-renderer'))) {
      for (const spec of imports(f)) {
        if (/src-main/.test(spec) || NODE_BUILTINS.test(spec) || spec === 'electron') bad.push(`${relative(REPO, f)} -> ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('only src-main/app imports electron', () => {
    const bad: string[] = [];
    for (const f of files(join(REPO, 'src-main'))) {
      if (relative(REPO, f).startsWith(join('src-main', 'app'))) continue;
      if (imports(f).includes('electron')) bad.push(relative(REPO, f));
    }
    expect(bad).toEqual([]);
  });

  it('src-main never imports src-renderer (issue 18)', () => {
    const bad: string[] = [];
    for (const f of files(join(REPO, 'src-main'))) {
      for (const spec of imports(f)) if (/src-renderer/.test(spec)) bad.push(`${relative(REPO, f)} -> ${spec}`);
    }
    expect(bad).toEqual([]);
  });

  it('the studio engine holds no React, MUI or three.js (a UI-free editor, as tldraw; issue 18)', () => {
    const bad: string[] = [];
    for (const f of files(join(REPO, 'src-renderer', 'studio', 'engine'))) {
      for (const spec of imports(f)) {
        if (/^(react|react-dom|three|recharts|react-resizable-panels)(\/|$)|^@(mui|emotion)\//.test(spec)) bad.push(`${relative(REPO, f)} -> ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });

  it('the rules see what they must (a file importing react from the engine would be caught)', () => {
    const re = /^(react|react-dom|three|recharts|react-resizable-panels)(\/|$)|^@(mui|emotion)\//;
    expect(['react', '@mui/material/Box', 'three', 'react-dom/client'].every((s) => re.test(s))).toBe(true);
    expect(['./atom.js', 'reactive', '../../src-shared/timeline/index.js'].some((s) => re.test(s))).toBe(false);
  });
});
