import type { PortraitErrorShape } from '../../../src-shared/ipc/errors.js';
import type { HumanOptions } from './human.js';
import type { FaceLandmarks } from './types.js';

/** Messages between trackLandmarks and its workers (structured-clone safe). */
export interface ChunkJob {
  id: number;
  path: string;
  start: number;
  /** Undefined for the last chunk: decode to the end, whatever the estimate said. */
  count?: number;
  fps?: number;
  maxWidth?: number;
  maxHeight?: number;
  /** Displayed frame size, so points from a downscaled decode come back in full-size pixels. */
  displayWidth: number;
  displayHeight: number;
}

export type ToWorker =
  | { type: 'init'; options: HumanOptions }
  | { type: 'chunk'; job: ChunkJob }
  | { type: 'cancel' };

export type FromWorker =
  | { type: 'ready' }
  | { type: 'frame'; chunk: number; frame: number; landmarks: FaceLandmarks | null; decodeMs: number; detectMs: number }
  | { type: 'chunkDone'; chunk: number; frames: number }
  | { type: 'chunkError'; chunk: number; frames: number; error: PortraitErrorShape }
  | { type: 'cancelled' }
  | { type: 'fatal'; error: PortraitErrorShape };
