import type { BackendId } from './select.js';
import { BACKEND_IDS, BACKENDS } from '../../../src-shared/net/backends.js';

/** Backends that run the network on a GPU (CUDA, or any GPU through WebGPU/Dawn). */
const GPU_BACKENDS: ReadonlySet<BackendId> = new Set(BACKEND_IDS.filter((id) => BACKENDS[id].gpu));

export interface ProfileAdvice {
  profile: 'cpu' | 'light';
  gpu: boolean;
  /** one sentence for the user: which backend was found and why this profile */
  why: string;
}

/**
 * The profile a new project trains with when nobody chose one: light (the 128 px preview
 * network, 13M parameters) where a GPU backend loads, cpu (sized for an overnight CPU run)
 * where none does. paper needs a large GPU and is never a default.
 */
export function recommendProfile(backend: BackendId, reason: string): ProfileAdvice {
  if (GPU_BACKENDS.has(backend)) {
    return { profile: 'light', gpu: true, why: `A GPU backend loaded (${backend}: ${reason}), so the light profile (128 px, 13M parameters) is the default.` };
  }
  return {
    profile: 'cpu',
    gpu: false,
    why: `No GPU backend loaded; training runs on ${backend} (${reason}), so the cpu profile (sized for an overnight run on a CPU) is the default.`,
  };
}
