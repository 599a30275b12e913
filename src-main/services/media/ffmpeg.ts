import { accessSync, constants, existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { delimiter, join } from 'node:path';
import { PortraitError } from '../../../src-shared/ipc/errors.js';

const require = createRequire(import.meta.url);

export interface ResolvedFfmpeg {
  path: string;
  /** Where it came from, shown to the user in diagnostics. */
  source: 'env' | 'ffmpeg-static' | '@ffmpeg-installer/ffmpeg' | 'system';
}

function executable(p: string | null | undefined): p is string {
  if (!p) return false;
  try {
    accessSync(p, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function fromPath(): string | null {
  for (const dir of (process.env['PATH'] ?? '').split(delimiter)) {
    if (!dir) continue;
    const p = join(dir, process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg');
    if (existsSync(p) && executable(p)) return p;
  }
  return null;
}

let cached: ResolvedFfmpeg | null = null;

/**
 * ffmpeg-static first (its binary download often fails behind firewalls, so it is optional),
 * then @ffmpeg-installer (binary shipped inside a registry package), then the system one.
 * PORTRAIT_FFMPEG overrides all, for users with a custom build.
 */
export function resolveFfmpeg(): ResolvedFfmpeg {
  if (cached) return cached;
  const env = process.env['PORTRAIT_FFMPEG'];
  if (env && executable(env)) return (cached = { path: env, source: 'env' });
  try {
    const p = require('ffmpeg-static') as string | null;
    if (executable(p)) return (cached = { path: p, source: 'ffmpeg-static' });
  } catch {
    /* optional dependency not installed */
  }
  try {
    const p = (require('@ffmpeg-installer/ffmpeg') as { path: string }).path;
    if (executable(p)) return (cached = { path: p, source: '@ffmpeg-installer/ffmpeg' });
  } catch {
    /* no build for this platform */
  }
  const sys = fromPath();
  if (sys) return (cached = { path: sys, source: 'system' });
  throw new PortraitError(
    'NO_FFMPEG',
    'No ffmpeg binary found. Reinstall with `npm install`, install ffmpeg on your system (e.g. `apt-get install ffmpeg`), or set PORTRAIT_FFMPEG to its path.',
  );
}
