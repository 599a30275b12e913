import { describe, expect, it } from 'vitest';
import { recommendProfile } from './recommend.js';

describe('recommendProfile (issue 16, item 9)', () => {
  it('light on a GPU backend, cpu otherwise, and says why naming the backend', () => {
    expect(recommendProfile('tfjs-node-gpu', 'CUDA 12')).toMatchObject({ profile: 'light', gpu: true, why: expect.stringContaining('tfjs-node-gpu') });
    expect(recommendProfile('webgpu', 'NVIDIA H100')).toMatchObject({ profile: 'light', gpu: true });
    for (const b of ['tfjs-node', 'wasm', 'cpu'] as const) {
      expect(recommendProfile(b, 'x')).toMatchObject({ profile: 'cpu', gpu: false, why: expect.stringMatching(new RegExp(`No GPU backend loaded; training runs on ${b}`)) });
    }
  });
});
