import { describe, expect, it } from 'vitest';
import { BACKEND_ORDER, selectBackend, type WebGpuLoader } from './select.js';

describe('selectBackend', () => {
  it('walks the order, reports each miss with a reason, and lands on a backend that trains', async () => {
    const c = await selectBackend({ forTraining: true });
    expect(BACKEND_ORDER).toContain(c.name);
    const last = c.tried[c.tried.length - 1]!;
    expect(last).toMatchObject({ name: c.name, ok: true });
    expect(c.tried.map((t) => t.name)).toEqual(BACKEND_ORDER.slice(0, c.tried.length));
    for (const t of c.tried.slice(0, -1)) {
      expect(t.ok).toBe(false);
      expect(t.reason.length).toBeGreaterThan(0);
      // the human-readable reason names every faster backend and why it was not used
      expect(c.reason).toContain(`${t.name}: ${t.reason}`);
    }
    expect(c.reason.length).toBeGreaterThan(0);
  });

  it('orders the GPU paths first: CUDA, WebGPU, then native CPU, wasm, JS', () => {
    expect(BACKEND_ORDER).toEqual(['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu']);
  });

  it('honours a preference', async () => {
    const c = await selectBackend({ prefer: 'cpu', forTraining: false });
    expect(c.name).toBe('cpu');
    expect(c.tried).toEqual([{ name: 'cpu', ok: true, reason: 'loaded' }]);
  });

  it('skips webgpu with a recorded reason when there is no GPU adapter (injected probe)', async () => {
    let probed = 0;
    const noAdapter: WebGpuLoader = async () => ({
      create: () => ({ requestAdapter: async () => (probed++, null) }),
      globals: {},
    });
    const c = await selectBackend({ forTraining: false, webgpu: noAdapter, skip: ['tfjs-node-gpu', 'tfjs-node'] });
    expect(probed).toBe(1);
    expect(c.tried[1]).toEqual({ name: 'webgpu', ok: false, reason: expect.stringMatching(/^no GPU adapter \((Vulkan|Metal|D3D12\/Vulkan) not available\)$/) });
    expect(c.name).toBe('wasm');
    expect(c.reason).toMatch(/webgpu: no GPU adapter/);
  });

  it('skips a software (fallback) adapter', async () => {
    const fallback: WebGpuLoader = async () => ({
      create: () => ({ requestAdapter: async () => ({ isFallbackAdapter: true }) }),
      globals: {},
    });
    const c = await selectBackend({ forTraining: false, webgpu: fallback, skip: ['tfjs-node-gpu', 'tfjs-node'] });
    expect(c.tried[1]).toEqual({ name: 'webgpu', ok: false, reason: 'only a software (fallback) GPU adapter' });
  });

  it("reports a missing webgpu package as 'not installed', never a crash", async () => {
    const missing: WebGpuLoader = async () => {
      throw Object.assign(new Error("Cannot find package 'webgpu' imported from select.ts"), { code: 'ERR_MODULE_NOT_FOUND' });
    };
    const c = await selectBackend({ prefer: 'webgpu', forTraining: false, webgpu: missing, skip: ['tfjs-node-gpu', 'tfjs-node'] });
    expect(c.tried[0]).toEqual({ name: 'webgpu', ok: false, reason: 'not installed' });
    expect(c.name).toBe('wasm');
    expect(c.reason).toMatch(/preferred webgpu failed/);
  });

  it('probes the real webgpu package without crashing (here: no adapter, so it is skipped)', async () => {
    const c = await selectBackend({ forTraining: false, skip: ['tfjs-node-gpu', 'tfjs-node'] });
    const w = c.tried.find((t) => t.name === 'webgpu')!;
    // On a machine with a GPU this loads instead; either way the outcome is recorded.
    if (c.name !== 'webgpu') expect(w.ok).toBe(false);
    expect(w.reason.length).toBeGreaterThan(0);
  });
});
