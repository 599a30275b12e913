import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';

export function trainingPaths(dir: string) {
  const root = join(dir, 'checkpoints');
  return {
    root,
    lock: 'train.lock',
    sample: join(root, 'sample.png'),
    state: join(root, 'state.json'),
    snapshots: join(root, 'snapshots'),
    checkpoint: (step: number) => join(root, `step-${String(step).padStart(7, '0')}.ckpt`),
  };
}

export const TrainingState = z.object({
  profile: z.string(),
  backend: z.string(),
  backendReason: z.string(),
  trainFrames: z.number().int(),
  heldOutFrames: z.number().int(),
  lastValidation: z.object({ step: z.number().int(), psnr: z.number(), ssim: z.number(), l1: z.number() }).nullable(),
});
export type TrainingState = z.infer<typeof TrainingState>;

export async function listCheckpoints(dir: string): Promise<Array<{ file: string; step: number; sizeBytes: number }>> {
  const root = trainingPaths(dir).root;
  let names: string[] = [];
  try {
    names = await fs.readdir(root);
  } catch {
    return [];
  }
  const out = [];
  for (const name of names) {
    const m = /^step-(\d+)\.ckpt$/.exec(name);
    if (!m) continue;
    const st = await fs.stat(join(root, name)).catch(() => null);
    if (st) out.push({ file: join(root, name), step: Number(m[1]), sizeBytes: st.size });
  }
  return out.sort((a, b) => a.step - b.step);
}

export const SnapshotMeta = z.object({
  name: z.string(),
  step: z.number().int(),
  createdAt: z.string(),
  lossL1: z.number().nullable(),
  psnr: z.number().nullable(),
  thumbnail: z.string().nullable(),
});
