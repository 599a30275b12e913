import * as tf from '@tensorflow/tfjs-core';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import { selectBackend, type BackendChoice, type BackendId } from './select.js';

/**
 * Makes a backend current: a choice already made (re-activated), a backend id to insist on
 * (fails with UNSUPPORTED and the reason if it cannot load), or the fastest that loads.
 * `forTraining` adds selectBackend's conv-gradient smoke test.
 */
export async function useBackend(backend: BackendId | BackendChoice | undefined, forTraining: boolean): Promise<BackendChoice> {
  if (typeof backend === 'object') {
    if (!(await tf.setBackend(backend.tfName))) throw new PortraitError('UNSUPPORTED', `Backend ${backend.name} is no longer available`);
    return backend;
  }
  const choice = await selectBackend({ forTraining, ...(backend ? { prefer: backend } : {}) });
  if (backend && choice.name !== backend) {
    const why = choice.tried.find((t) => t.name === backend)?.reason ?? 'unknown';
    throw new PortraitError('UNSUPPORTED', `The ${backend} backend could not be loaded: ${why}`);
  }
  return choice;
}
