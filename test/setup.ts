import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Tests never touch the user's real preferences.
process.env['PORTRAIT_CONFIG_DIR'] ??= mkdtempSync(join(tmpdir(), 'portrait-config-'));

// A CLI or host a test spawns runs the sources under test, never dist/app (which another test
// file rebuilds meanwhile: see bin/portrait.mjs). The e2e suite runs the compiled services.
process.env['PORTRAIT_FROM_SOURCE'] = '1';

// Property tests run with a fixed seed so CI is deterministic; FC_SEED=<n> (or FC_SEED=random)
// explores other seeds locally.
import fc from 'fast-check';
const seedEnv = process.env['FC_SEED'];
if (seedEnv !== 'random') fc.configureGlobal({ seed: seedEnv ? Number(seedEnv) : 20261125 });
