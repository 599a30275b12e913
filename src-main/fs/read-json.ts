import { promises as fs } from 'node:fs';
import type { z } from 'zod';
import { PortraitError } from '../../src-shared/ipc/errors.js';

/** A JSON file validated by a schema; null when missing, unreadable or of another shape. */
export async function readJson<T>(path: string, schema: z.ZodType<T>): Promise<T | null> {
  try {
    const parsed = schema.safeParse(JSON.parse(await fs.readFile(path, 'utf8')));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/**
 * A JSON file that may be missing (null) but, when present, must be whole: a damaged file is a
 * PROJECT_CORRUPT error naming it, never mistaken for "not there yet" (which would let the
 * caller start over and overwrite what the damaged file described).
 */
export async function readJsonIfPresent<T>(path: string, schema: z.ZodType<T>, what: string): Promise<T | null> {
  let text: string;
  try {
    text = await fs.readFile(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new PortraitError('PROJECT_CORRUPT', `${what} (${path}) cannot be read: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new PortraitError('PROJECT_CORRUPT', `${what} (${path}) is damaged (not JSON).`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) throw new PortraitError('PROJECT_CORRUPT', `${what} (${path}) is damaged (unexpected content).`);
  return parsed.data;
}
