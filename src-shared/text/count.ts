/** "1 frame", "2 frames", "0 frames": a number with its noun, for every message that counts. */
export function count(n: number, singular: string, plural = `${singular}s`): string {
  return `${n} ${n === 1 ? singular : plural}`;
}
