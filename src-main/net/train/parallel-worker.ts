/**
 * One replica of the data-parallel trainer, in a worker thread: holds G and D, and per command
 * computes its shard's gradients (already weighted by shard size / batch size) into its slot
 * of a SharedArrayBuffer. The loop blocks on Atomics.wait and reads commands with
 * receiveMessageOnPort, so the coordinator's step() stays synchronous (Trainer's interface).
 */
import '@tensorflow/tfjs';
import { parentPort, receiveMessageOnPort, type MessagePort } from 'node:worker_threads';
import type { BackendId } from '../backend/select.js';
import type { NetProfile } from '../model/profiles.js';
import { CTRL, type ReplicaCommand, type ReplicaReply } from './parallel-protocol.js';
import { createTrainer, GanTrainer } from './trainer.js';

export interface ReplicaData {
  module: string;
  profile: NetProfile;
  backend: BackendId;
  seed: number;
  ctrl: SharedArrayBuffer;
  weights: SharedArrayBuffer;
  grads: SharedArrayBuffer;
  port: MessagePort;
}

function receive(port: MessagePort): ReplicaCommand {
  // postMessage has queued the command before the sequence number was bumped; spin briefly
  // should it not be visible yet.
  for (let i = 0; ; i++) {
    const m = receiveMessageOnPort(port);
    if (m) return m.message as ReplicaCommand;
    if (i > 10_000) throw new Error('replica: command announced but not received');
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 1);
  }
}

export async function runReplica(data: ReplicaData): Promise<void> {
  const ctrl = new Int32Array(data.ctrl);
  // A replica that dies (uncaught error, exit) raises the flag the coordinator polls.
  process.on('exit', () => {
    Atomics.store(ctrl, CTRL.dead, 1);
    Atomics.notify(ctrl, CTRL.done);
  });
  const t = await createTrainer(data.profile, { backend: data.backend, seed: data.seed });
  if (!(t instanceof GanTrainer)) throw new Error('replica: unexpected trainer type');
  const weights = new Float32Array(data.weights);
  const grads = new Float32Array(data.grads);
  const offsets = new Map<string, { off: number; size: number }>();
  let off = 0;
  for (const p of t.paramLayout()) {
    offsets.set(p.name, { off, size: p.size });
    off += p.size;
  }
  if (off !== weights.length || off !== grads.length) throw new Error(`replica: ${off} parameters but shared buffers of ${weights.length}/${grads.length}`);
  parentPort!.postMessage({ type: 'ready' });

  let seen = 0;
  let loaded = -1;
  for (;;) {
    Atomics.wait(ctrl, CTRL.command, seen);
    const seq = Atomics.load(ctrl, CTRL.command);
    if (seq === seen) continue;
    seen = seq;
    const cmd = receive(data.port);
    if (cmd.type === 'stop') {
      Atomics.store(ctrl, CTRL.done, seq);
      Atomics.notify(ctrl, CTRL.done);
      break;
    }
    let reply: ReplicaReply;
    try {
      if (cmd.weightsVersion !== loaded) {
        t.setWeights((name) => {
          const o = offsets.get(name)!;
          return weights.subarray(o.off, o.off + o.size);
        });
        loaded = cmd.weightsVersion;
      }
      const scale = cmd.scale;
      const losses = t.shardGradients(cmd.input, cmd.target, cmd.n, cmd.masks, (name, g) => {
        const o = offsets.get(name)!;
        const dst = grads.subarray(o.off, o.off + o.size);
        for (let i = 0; i < g.length; i++) dst[i] = g[i]! * scale;
      });
      reply = { type: 'done', losses };
    } catch (e) {
      reply = { type: 'error', message: e instanceof Error ? e.message : String(e) };
    }
    data.port.postMessage(reply);
    Atomics.store(ctrl, CTRL.done, seq);
    Atomics.notify(ctrl, CTRL.done);
  }
  t.dispose();
  data.port.close();
}
