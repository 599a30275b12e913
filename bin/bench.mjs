#!/usr/bin/env node
// `npm run bench [-- suite...]`: runs bench/<suite>.bench.ts and writes bench/results/<suite>.json.
import { register } from 'tsx/esm/api';
import { readdirSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem, platform, release, arch } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

register();
const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const benchDir = join(root, 'bench');
const available = readdirSync(benchDir).filter((f) => f.endsWith('.bench.ts')).map((f) => f.replace(/\.bench\.ts$/, '')).sort();
const wanted = process.argv.slice(2).filter((a) => !a.startsWith('-'));
const unknown = wanted.filter((w) => !available.includes(w));
if (unknown.length) {
  console.error(`Unknown bench suite(s): ${unknown.join(', ')}. Available: ${available.join(', ')}`);
  process.exit(2);
}
const suites = wanted.length ? wanted : available;
const machine = {
  cpu: cpus()[0]?.model ?? 'unknown',
  cores: cpus().length,
  memGiB: Math.round(totalmem() / 2 ** 30),
  os: `${platform()} ${release()} ${arch}`,
  node: process.versions.node,
};
mkdirSync(join(benchDir, 'results'), { recursive: true });
let failed = 0;
for (const suite of suites) {
  const started = Date.now();
  console.log(`bench ${suite}…`);
  try {
    const mod = await import(pathToFileURL(join(benchDir, `${suite}.bench.ts`)).href);
    const figures = await mod.run();
    const report = { suite, date: new Date().toISOString(), machine, durationSec: (Date.now() - started) / 1000, figures };
    const out = join(benchDir, 'results', `${suite}.json`);
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`  wrote ${out}`);
    console.log(`  ${JSON.stringify(figures).slice(0, 400)}`);
  } catch (e) {
    failed++;
    console.error(`  ${suite} failed: ${e?.stack ?? e}`);
  }
}
process.exit(failed ? 1 : 0);
