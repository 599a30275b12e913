import { promises as fs } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { VideoRole } from '../../../src-shared/project/schema.js';

/** Written by the tracking job beside the per-frame tracks: a cheap summary for `project info`. */
export const TrackCoverage = z.object({
  framesTracked: z.number().int().nonnegative(),
  framesWithFace: z.number().int().nonnegative(),
});
export type TrackCoverage = z.infer<typeof TrackCoverage>;

export function coveragePath(dir: string, role: VideoRole): string {
  return join(dir, 'tracks', `${role}.coverage.json`);
}

export async function readCoverage(dir: string, role: VideoRole): Promise<TrackCoverage> {
  try {
    const parsed = TrackCoverage.safeParse(JSON.parse(await fs.readFile(coveragePath(dir, role), 'utf8')));
    if (parsed.success) return parsed.data;
  } catch {
    /* not tracked yet */
  }
  return { framesTracked: 0, framesWithFace: 0 };
}
