// Compiles the Node side for the Electron app into dist/app, one .js per .ts (imports
// already name .js files), so worker threads load compiled modules without tsx; the
// sandboxed preload is bundled to one CJS file.
import { build } from 'esbuild';
import { cpSync, mkdirSync, readdirSync, rmSync, statSync } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const out = join(root, 'dist', 'app');
const sources = [];
const assets = [];
function walk(dir) {
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) walk(p);
    else if (/\.test\.ts$/.test(name) || /fixtures/.test(p)) continue;
    else if (name.endsWith('.ts')) sources.push(p);
    else if (name.endsWith('.mjs')) assets.push(p);
  }
}
walk(join(root, 'src-main'));
walk(join(root, 'src-shared'));
rmSync(out, { recursive: true, force: true });
await build({ entryPoints: sources, outdir: out, outbase: root, format: 'esm', platform: 'node', target: 'node20', sourcemap: true, logLevel: 'warning' });
for (const a of assets) {
  const dst = join(out, relative(root, a));
  mkdirSync(dirname(dst), { recursive: true });
  cpSync(a, dst);
}
await build({
  entryPoints: [join(root, 'src-main/app/preload.ts')],
  outfile: join(out, 'src-main/app/preload.cjs'),
  bundle: true,
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  external: ['electron'],
  logLevel: 'warning',
});
console.log(`Compiled ${sources.length} modules to ${relative(root, out)}`);
