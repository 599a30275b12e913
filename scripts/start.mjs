#!/usr/bin/env node
// `npm start`: the Electron studio when its binary is installed, otherwise browser mode
// (the host serving the same contract; it prints the URL to open).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, statSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(root, 'package.json'));
const args = process.argv.slice(2);
const hostOnly = args.includes('--host-only');
const passArgs = args.filter((a) => a !== '--host-only');

function newestMtime(dir) {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    t = Math.max(t, e.isDirectory() ? newestMtime(p) : statSync(p).mtimeMs);
  }
  return t;
}

function ensureBuilt(what, output, sources, script) {
  const stale = !existsSync(output) || sources.some((s) => existsSync(join(root, s)) && newestMtime(join(root, s)) > statSync(output).mtimeMs);
  if (!stale) return;
  console.log(`Building the ${what}…`);
  const entry = script[0].startsWith('/') ? script[0] : require.resolve(script[0]);
  const r = spawnSync(process.execPath, [entry, ...script.slice(1)], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) process.exit(r.status ?? 1);
}

function electronBinary() {
  try {
    const p = require('electron');
    return typeof p === 'string' && existsSync(p) ? p : null;
  } catch {
    return null;
  }
}

ensureBuilt('studio UI', join(root, 'dist/renderer/index.html'), ['src-renderer', 'src-shared'], [join(root, 'node_modules/vite/bin/vite.js'), 'build']);

const electron = hostOnly ? null : electronBinary();
if (electron) {
  ensureBuilt('app shell', join(root, 'dist/app/src-main/app/main.js'), ['src-main', 'src-shared'], [join(root, 'scripts/build-main.mjs')]);
  const child = spawn(electron, [root, ...passArgs], { stdio: 'inherit' });
  child.on('exit', (code) => process.exit(code ?? 0));
} else {
  if (!hostOnly) {
    console.log('The Electron binary is not installed (its download is optional and may be blocked on this network),');
    console.log('so the studio starts in browser mode.\n');
  }
  // The host runs the compiled services, so its worker threads need no TypeScript loader (see bin/portrait.mjs).
  ensureBuilt('studio services', join(root, 'dist/app/src-main/cli/main.js'), ['src-main', 'src-shared'], [join(root, 'scripts/build-main.mjs')]);
  const child = spawn(process.execPath, [join(root, 'bin/portrait.mjs'), 'host', ...passArgs], { stdio: 'inherit' });
  for (const sig of ['SIGINT', 'SIGTERM']) process.on(sig, () => child.kill(sig));
  child.on('exit', (code) => process.exit(code ?? 0));
}
