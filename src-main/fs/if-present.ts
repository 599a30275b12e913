/**
 * The result of a file operation, or null when its path does not exist (ENOENT); any other
 * failure (permissions, a damaged disk) is thrown as it is, never mistaken for "not there".
 */
export async function ifPresent<T>(op: Promise<T>): Promise<T | null> {
  try {
    return await op;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw e;
  }
}
