import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

// Tests never touch the user's real preferences.
process.env['PORTRAIT_CONFIG_DIR'] ??= mkdtempSync(join(tmpdir(), 'portrait-config-'));
