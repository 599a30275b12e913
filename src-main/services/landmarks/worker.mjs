// Entry of a landmark worker: the TypeScript module in development and tests, the compiled
// .js beside this file in the app (load-module.mjs registers tsx only for the former).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { loadModule } from '../workers/load-module.mjs';

const ts = new URL('./worker.ts', import.meta.url);
await loadModule(existsSync(fileURLToPath(ts)) ? ts.href : new URL('./worker.js', import.meta.url).href);
