/**
 * The address of a render farm: the Redis server its BullMQ queue lives on. Parsed once here so
 * the contract, the CLI and the render dialog refuse the same addresses with the same words.
 */
export interface FarmAddress {
  /** As given, with any password masked (safe to print). */
  display: string;
  host: string;
  port: number;
  db: number;
  username?: string;
  password?: string;
  tls: boolean;
}

export const FARM_URL_EXAMPLE = 'redis://host:6379';

/** Why `url` is not a farm address, or null when it is one. */
export function farmUrlProblem(url: string): string | null {
  try {
    parseFarmUrl(url);
    return null;
  } catch (e) {
    return (e as Error).message;
  }
}

// scheme :// [user[:password]@] host[:port] [/db]; no URL class here (src-shared has no DOM or Node lib).
const FARM_URL = /^(rediss?):\/\/(?:([^:@/]*)(?::([^@/]*))?@)?(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+)(?::(\d{1,5}))?(?:\/(\d{1,2})?)?$/;

export function parseFarmUrl(url: string): FarmAddress {
  const bad = (why: string) => new Error(`The render farm address "${url}" ${why} (expected ${FARM_URL_EXAMPLE}, optionally redis://:password@host:port/db or rediss:// for TLS).`);
  const text = url.trim();
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(text)?.[1]?.toLowerCase();
  if (!scheme) throw bad('is not a URL');
  if (scheme !== 'redis' && scheme !== 'rediss') throw bad(`uses ${scheme}, not redis`);
  const m = FARM_URL.exec(`${scheme}${text.slice(scheme.length)}`);
  if (!m) throw bad('is not of the form redis://host:port');
  const port = m[5] === undefined ? 6379 : Number(m[5]);
  if (port < 1 || port > 65535) throw bad('has a bad port');
  let username: string | undefined;
  let password: string | undefined;
  try {
    username = m[2] ? decodeURIComponent(m[2]) : undefined;
    password = m[3] ? decodeURIComponent(m[3]) : undefined;
  } catch {
    throw bad('has a badly escaped user or password');
  }
  const hostPart = m[4]!;
  const db = m[6] === undefined ? 0 : Number(m[6]);
  return {
    display: `${scheme}://${username ? `${m[2]}${password ? ':***' : ''}@` : password ? ':***@' : ''}${hostPart}:${port}${db ? `/${db}` : ''}`,
    host: hostPart.replace(/^\[(.*)\]$/, '$1'),
    port,
    db,
    ...(username ? { username } : {}),
    ...(password ? { password } : {}),
    tls: scheme === 'rediss',
  };
}
