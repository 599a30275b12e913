// Worker threads do not inherit tsx/vitest loaders: register tsx, then load the TypeScript
// (or, in the compiled app, the JavaScript beside this file).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { register } from 'tsx/esm/api';

const ts = new URL('./worker.ts', import.meta.url);
if (existsSync(fileURLToPath(ts))) {
  register();
  await import(ts.href);
} else {
  await import(new URL('./worker.js', import.meta.url).href);
}
