import { randomBytes, timingSafeEqual } from 'node:crypto';

export function newSessionToken(): string {
  return randomBytes(24).toString('base64url');
}

export function tokenMatches(expected: string, given: string | null | undefined): boolean {
  if (!given) return false;
  const a = Buffer.from(expected);
  const b = Buffer.from(given);
  return a.length === b.length && timingSafeEqual(a, b);
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1', '[::1]']);
export function isLoopback(host: string): boolean {
  return LOOPBACK.has(host) || host.startsWith('127.');
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
