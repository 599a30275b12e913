import { execFile } from 'node:child_process';
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';

/** What Dawn says about the adapter it would use; `null`: none at all. */
export interface AdapterReport {
  fallback: boolean;
  adapterType: string | null;
  vendor: string;
  device: string;
}

/**
 * Whether a reported adapter is a GPU worth training on; else a short reason. A software
 * Vulkan (Mesa's lavapipe/llvmpipe, SwiftShader) runs on the CPU: it is not a GPU, and the wasm
 * trainer is faster on the same cores.
 */
export function adapterVerdict(r: AdapterReport | null, api = 'Vulkan'): { ok: true } | { ok: false; reason: string } {
  if (!r) return { ok: false, reason: `no GPU adapter (${api} not available)` };
  const name = `${r.vendor} ${r.device}`.trim();
  if (r.fallback || r.adapterType === 'cpu' || /llvmpipe|lavapipe|swiftshader|software/i.test(name)) {
    return { ok: false, reason: `only a CPU (software) ${api} adapter${name ? ` (${name})` : ''}: not a GPU` };
  }
  return { ok: true };
}

// Run in a child: Dawn prints its native warnings (no XDG_RUNTIME_DIR, a software ICD) to the
// process's stderr, which a child keeps away from the user's terminal.
const PROBE = `
const m = await import(process.argv[1]);
const mod = typeof m.create === 'function' ? m : m.default;
const gpu = mod.create([]);
const a = await gpu.requestAdapter({ powerPreference: 'high-performance' });
const info = a ? (a.info ?? {}) : null;
process.stdout.write(JSON.stringify(a ? { fallback: !!(a.isFallbackAdapter || info.isFallbackAdapter), adapterType: info.adapterType ?? null, vendor: String(info.vendor ?? ''), device: String(info.device ?? info.description ?? '') } : null));
process.exit(0);
`;

/**
 * Asks Dawn (the `webgpu` package) for an adapter in a child process with its stderr captured,
 * so a machine without a GPU stays quiet; the reason is returned once, for the backend report.
 */
export async function probeAdapterQuietly(timeoutMs = 20_000): Promise<{ ok: true } | { ok: false; reason: string }> {
  let entry: string;
  try {
    entry = pathToFileURL(createRequire(import.meta.url).resolve('webgpu')).href;
  } catch {
    return { ok: false, reason: 'not installed' };
  }
  const api = process.platform === 'darwin' ? 'Metal' : process.platform === 'win32' ? 'D3D12/Vulkan' : 'Vulkan';
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', PROBE, entry],
      { timeout: timeoutMs, windowsHide: true, maxBuffer: 1 << 20 },
      (err, stdout) => {
        if (err && !stdout) {
          resolve({ ok: false, reason: `no GPU adapter (the ${api} probe failed${(err as { killed?: boolean }).killed ? ': timed out' : ''})` });
          return;
        }
        try {
          resolve(adapterVerdict(JSON.parse(stdout) as AdapterReport | null, api));
        } catch {
          resolve({ ok: false, reason: `no GPU adapter (unreadable ${api} probe output)` });
        }
      },
    );
  });
}
