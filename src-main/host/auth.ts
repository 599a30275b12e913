import { randomBytes, timingSafeEqual } from 'node:crypto';
import { isIP } from 'node:net';

export function newSessionToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

const LOOPBACK = new Set(['localhost', '::1', '[::1]']);
/** A loopback name or address: `localhost`, `::1` or a dotted IPv4 address in 127.0.0.0/8 (never a name that starts with "127."). */
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || (isIP(host) === 4 && host.startsWith('127.'));
}

/**
 * The Host header names this server: a loopback name or the bound host, on our port. A page
 * that rebinds its own DNS name to 127.0.0.1 sends its own name here and is refused, so it
 * can neither read the UI nor open the socket.
 */
export function hostHeaderAllowed(hostHeader: string | undefined, port: number, boundHost: string, extraHosts: readonly string[] = []): boolean {
  if (!hostHeader) return false;
  let u: URL;
  try {
    u = new URL(`http://${hostHeader}`);
  } catch {
    return false;
  }
  if (u.username || u.password || u.pathname !== '/' || u.search || u.hash) return false;
  if (Number(u.port || 80) !== port) return false;
  const h = u.hostname.replace(/^\[|\]$/g, '');
  return isLoopback(h) || h === boundHost.replace(/^\[|\]$/g, '') || extraHosts.includes(h);
}

/**
 * Browsers always send Origin on WebSocket upgrades; a page on another site must not be
 * able to drive the studio even if it learned the port. Non-browser clients (scripts)
 * send no Origin and are admitted on the token alone.
 */
export function originAllowed(origin: string | undefined, port: number, boundHost: string, extra: readonly string[]): boolean {
  if (origin === undefined) return true;
  let u: URL;
  try {
    u = new URL(origin);
  } catch {
    return false;
  }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return false;
  if (extra.includes(u.origin)) return true;
  if (Number(u.port || (u.protocol === 'https:' ? 443 : 80)) !== port) return false;
  const h = u.hostname.replace(/^\[|\]$/g, '');
  return isLoopback(h) || h === boundHost;
}
