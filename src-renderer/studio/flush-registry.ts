/** Open studios register here so the app can write pending edits before closing a project. */
const flushers = new Set<() => Promise<void>>();

export function registerFlush(f: () => Promise<void>): () => void {
  flushers.add(f);
  return () => flushers.delete(f);
}

export async function flushStudios(): Promise<void> {
  await Promise.all([...flushers].map((f) => f().catch(() => {})));
}
