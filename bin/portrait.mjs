#!/usr/bin/env node
// The portrait CLI (and the browser-mode host). It runs the compiled services (dist/app, built
// by `npm run build:main`; `npm start` and the e2e suite build them) when they are newer than
// the sources: their worker threads then load plain JavaScript. Otherwise it runs the
// TypeScript through tsx's loader, so no build step is needed; each worker thread then starts
// its own tsx/esbuild, whose process the worker cannot reap when it ends (it stays a zombie
// until this process exits), which is fine for a one-off command and why a long-running host
// should run compiled.
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const compiled = join(root, 'dist', 'app', 'src-main', 'cli', 'main.js');

function newestSource(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    if (e.isDirectory()) t = Math.max(t, newestSource(p));
    else if (e.name.endsWith('.ts') || e.name.endsWith('.mjs')) t = Math.max(t, statSync(p).mtimeMs);
  }
  return t;
}

const fresh =
  process.env.PORTRAIT_FROM_SOURCE !== '1' &&
  existsSync(compiled) &&
  ['src-main', 'src-shared'].every((d) => !existsSync(join(root, d)) || newestSource(join(root, d)) <= statSync(compiled).mtimeMs);

let main;
if (fresh) ({ main } = await import(pathToFileURL(compiled).href));
else {
  const { register } = await import('tsx/esm/api');
  register();
  ({ main } = await import('../src-main/cli/main.ts'));
}
process.exitCode = await main(process.argv.slice(2));
