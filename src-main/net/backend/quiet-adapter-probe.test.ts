import { describe, expect, it } from 'vitest';
import { adapterVerdict, probeAdapterQuietly } from './quiet-adapter-probe.js';

describe('quiet WebGPU adapter probe (issue 16 item 18)', () => {
  it('accepts a hardware adapter and refuses none, a fallback or a software Vulkan, with a reason', () => {
    expect(adapterVerdict({ fallback: false, adapterType: 'discrete GPU', vendor: 'nvidia', device: 'NVIDIA H200' })).toEqual({ ok: true });
    expect(adapterVerdict(null)).toEqual({ ok: false, reason: 'no GPU adapter (Vulkan not available)' });
    const lavapipe = adapterVerdict({ fallback: false, adapterType: 'cpu', vendor: 'mesa', device: 'llvmpipe (LLVM 19.1.7, 256 bits)' });
    expect(lavapipe.ok).toBe(false);
    expect(!lavapipe.ok && lavapipe.reason).toMatch(/^only a CPU \(software\) Vulkan adapter \(mesa llvmpipe.*\): not a GPU$/);
    expect(adapterVerdict({ fallback: true, adapterType: null, vendor: '', device: '' }).ok).toBe(false);
    expect(adapterVerdict({ fallback: false, adapterType: 'unknown', vendor: 'google', device: 'SwiftShader Device' }).ok).toBe(false);
  });

  it('answers on this machine without throwing, and never with a CPU adapter as a GPU', async () => {
    const r = await probeAdapterQuietly();
    if (!r.ok) expect(r.reason.length).toBeGreaterThan(5);
    else expect(r).toEqual({ ok: true }); // only on a machine with a real GPU
  }, 30_000);
});
