import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

/**
 * Node's fetch refuses file:// URLs, and human loads its models through the global fetch
 * (tfjs' HTTP handler with human's fetchFunc). This wraps fetch once per thread so file://
 * URLs are read from disk; every other URL goes to the original fetch untouched.
 */
let installed = false;

export function installFileFetch(): void {
  if (installed) return;
  installed = true;
  const original = globalThis.fetch;
  globalThis.fetch = async (input: Parameters<typeof fetch>[0], init?: Parameters<typeof fetch>[1]) => {
    const url = typeof input === 'string' ? input : input instanceof URL ? input.href : input.url;
    if (!url.startsWith('file://')) return original(input, init);
    try {
      const body = await readFile(fileURLToPath(url));
      const type = url.endsWith('.json') ? 'application/json' : 'application/octet-stream';
      return new Response(body, { status: 200, headers: { 'content-type': type } });
    } catch {
      return new Response(null, { status: 404, statusText: `Not found: ${url}` });
    }
  };
}
