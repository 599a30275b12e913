/**
 * The Electron window's security decisions, kept free of Electron so they are unit-tested:
 * which file an app:// URL may serve, which links may leave the app, the page's CSP.
 */
import { realpathSync } from 'node:fs';
import { join, normalize, sep } from 'node:path';
import { contentSecurityPolicy } from '../host/static-files.js';

export const APP_SCHEME = 'app';
export const APP_ORIGIN = `${APP_SCHEME}://studio`;

/**
 * Hosts an https link may open in the system browser. The studio links nowhere outside itself
 * today, so nothing leaves the app; a future help link adds its host here.
 */
export const EXTERNAL_LINK_HOSTS: ReadonlySet<string> = new Set<string>();

export function externalLinkAllowed(url: string): boolean {
  let u: URL;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  return u.protocol === 'https:' && !u.username && !u.password && EXTERNAL_LINK_HOSTS.has(u.hostname);
}

/** Only the studio's own pages may be navigated to inside the window. */
export function navigationAllowed(url: string): boolean {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}` === APP_ORIGIN;
  } catch {
    return false;
  }
}

/** The file under `root` an app:// pathname names, or null (escape, link out of root, bad escape). */
export function appFileFor(root: string, pathname: string): string | null {
  let rel: string;
  try {
    rel = decodeURIComponent(pathname);
  } catch {
    return null;
  }
  if (rel.includes('\0')) return null;
  const rootReal = realOrNull(root) ?? root;
  const file = normalize(join(rootReal, rel));
  if (!file.startsWith(rootReal + sep)) return null;
  const real = realOrNull(file);
  // A missing file is the fetch's 404; an existing one must really live under root.
  if (real !== null && !real.startsWith(rootReal + sep)) return null;
  return real ?? file;
}

/** Sent with every app:// response: custom-protocol responses never pass webRequest.onHeadersReceived. */
export function appResponseHeaders(): Record<string, string> {
  return {
    'Content-Security-Policy': contentSecurityPolicy({ websocket: false }),
    'X-Content-Type-Options': 'nosniff',
  };
}

function realOrNull(p: string): string | null {
  try {
    return realpathSync.native(p);
  } catch {
    return null;
  }
}
