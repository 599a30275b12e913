import { promises as fs } from 'node:fs';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, resolve, sep } from 'node:path';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.wasm': 'application/wasm',
};

/** The UI's policy; the browser-mode page talks to its host over a WebSocket, the Electron window over IPC. */
export function contentSecurityPolicy(opts: { websocket: boolean } = { websocket: true }): string {
  // MUI/emotion inject <style> tags at runtime, hence 'unsafe-inline' for styles only.
  return [
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "media-src 'self' blob:",
    opts.websocket ? "connect-src 'self' ws: wss:" : "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'none'",
  ].join('; ');
}

/** Serves the built renderer; refuses paths that escape its folder. */
export async function serveStatic(root: string, urlPath: string, res: ServerResponse): Promise<void> {
  const rootAbs = await fs.realpath(resolve(root)).catch(() => resolve(root));
  let rel: string;
  try {
    rel = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    res.writeHead(400, { 'content-type': 'text/plain; charset=utf-8' }).end('Malformed URL escape.');
    return;
  }
  const inside = (f: string) => f === rootAbs || f.startsWith(rootAbs + sep);
  let file = normalize(join(rootAbs, rel));
  if (!inside(file) || rel.includes('\0')) {
    res.writeHead(403).end('Forbidden');
    return;
  }
  // A symbolic link inside the folder must not serve a file outside it.
  const real = async (f: string) => {
    const r = await fs.realpath(f).catch(() => null);
    return r !== null && inside(r) ? r : null;
  };
  let found = await real(file);
  let st = found ? await fs.stat(found).catch(() => null) : null;
  if (found && st?.isDirectory()) {
    found = await real(join(found, 'index.html'));
    st = found ? await fs.stat(found).catch(() => null) : null;
  }
  if (!found || !st?.isFile()) {
    // Single-page app: unknown routes get the shell.
    found = await real(join(rootAbs, 'index.html'));
    st = found ? await fs.stat(found).catch(() => null) : null;
  }
  if (found) file = found;
  if (!st) {
    res.writeHead(503, { 'content-type': 'text/plain; charset=utf-8' });
    res.end('The studio UI is not built. Run `npm run build:renderer` (npm start does this for you).');
    return;
  }
  const headers: Record<string, string> = {
    'content-type': TYPES[extname(file)] ?? 'application/octet-stream',
    'x-content-type-options': 'nosniff',
    'referrer-policy': 'no-referrer',
    'cache-control': extname(file) === '.html' ? 'no-store' : 'public, max-age=3600',
  };
  if (extname(file) === '.html') headers['content-security-policy'] = contentSecurityPolicy();
  res.writeHead(200, headers);
  res.end(await fs.readFile(file));
}
