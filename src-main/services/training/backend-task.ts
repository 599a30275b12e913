import '@tensorflow/tfjs';
import { useBackend } from '../../net/backend/use.js';
import type { BackendId } from '../../net/backend/select.js';

/**
 * Worker task: the training backend this machine would use (the same choice, smoke test
 * included, as a training job makes), so the host process never loads a native backend.
 */
export async function detectBackendTask(): Promise<{ backend: BackendId; reason: string }> {
  const choice = await useBackend(undefined, true);
  return { backend: choice.name, reason: choice.reason };
}
