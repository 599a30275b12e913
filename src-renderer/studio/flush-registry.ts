/** Open studios register here so the app can write pending edits before closing a project. */
const flushers = new Set<() => Promise<void>>();

export function registerFlush(f: () => Promise<void>): () => void {
  flushers.add(f);
  return () => flushers.delete(f);
}

/** Writes every studio's pending edits; resolves with the failures (empty when all were saved). */
export async function flushStudios(): Promise<unknown[]> {
  const results = await Promise.allSettled([...flushers].map((f) => f()));
  return results.filter((r): r is PromiseRejectedResult => r.status === 'rejected').map((r) => r.reason as unknown);
}
