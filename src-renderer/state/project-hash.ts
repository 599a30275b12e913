/** The open project in the page address: `#project=<encoded folder>`; '' when none. */
export function projectHash(dir: string | null): string {
  return dir ? `#project=${encodeURIComponent(dir)}` : '';
}

/** The project folder a page address names, or null. */
export function projectFromHash(hash: string): string | null {
  const m = /^#project=(.+)$/.exec(hash);
  if (!m) return null;
  try {
    const dir = decodeURIComponent(m[1]!);
    return dir.trim() ? dir : null;
  } catch {
    return null; // a malformed escape: no project
  }
}
