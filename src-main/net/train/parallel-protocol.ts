import type { StepLosses } from './trainer.js';

/** Int32 slots of a replica's control buffer. */
export const CTRL = {
  /** sequence number of the latest command (coordinator writes, replica waits on it) */
  command: 0,
  /** sequence number of the last finished command (replica writes, coordinator waits on it) */
  done: 1,
  /** 1 once the replica thread is exiting */
  dead: 2,
  length: 4,
} as const;

export type ReplicaCommand =
  | {
      type: 'step';
      n: number;
      input: Float32Array;
      target: Float32Array;
      /** this shard's rows of the batch's dropout masks */
      masks: Float32Array[];
      /** shard size / batch size: gradients are written pre-weighted, so the coordinator sums */
      scale: number;
      /** the replica reloads weights from the shared buffer when this changes */
      weightsVersion: number;
    }
  | { type: 'stop' };

export type ReplicaReply = { type: 'done'; losses: StepLosses } | { type: 'error'; message: string };
