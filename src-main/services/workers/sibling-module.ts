/**
 * URL of a sibling TypeScript module that a worker thread will import: `.ts` when running
 * from source (tsx), `.js` when running from the compiled app (dist/app), so workers load
 * the same way in development, tests and the packaged studio.
 */
export function siblingModule(importMetaUrl: string, name: string): URL {
  return new URL(`./${name}${importMetaUrl.endsWith('.ts') ? '.ts' : '.js'}`, importMetaUrl);
}
