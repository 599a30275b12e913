import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/renderer relative to the package root, found from this file wherever it runs from. */
export function rendererDir(): string {
  if (process.env['PORTRAIT_RENDERER_DIR']) return process.env['PORTRAIT_RENDERER_DIR'];
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'package.json'))) return join(dir, 'dist', 'renderer');
    dir = dirname(dir);
  }
  return join(process.cwd(), 'dist', 'renderer');
}
