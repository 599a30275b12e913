import { promises as fs } from 'node:fs';
import type { z } from 'zod';

export async function readJsonFile<T>(path: string, schema: z.ZodType<T>): Promise<T | null> {
  try {
    const r = schema.safeParse(JSON.parse(await fs.readFile(path, 'utf8')));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}
