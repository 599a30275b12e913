import { promises as fs } from 'node:fs';
import type { z } from 'zod';

/** A JSON file validated by a schema; null when missing, unreadable or of another shape. */
export async function readJson<T>(path: string, schema: z.ZodType<T>): Promise<T | null> {
  try {
    const parsed = schema.safeParse(JSON.parse(await fs.readFile(path, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}
