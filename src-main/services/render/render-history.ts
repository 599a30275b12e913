import { promises as fs } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { RenderEntry, type RenderRequest, type RenderResult } from '../../../src-shared/ipc/contract.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';

/** <project>/renders.json: what the studio rendered, so the studio can list and play it. */
export const RENDER_HISTORY_FILE = 'renders.json';
/** Older entries drop off: a list to pick from, not an archive. */
const MAX_ENTRIES = 200;

const Stored = RenderEntry.omit({ size: true });
type Stored = z.infer<typeof Stored>;
const HistoryFile = z.object({ version: z.literal(1), renders: z.array(Stored) });

const queues = new Map<string, Promise<unknown>>();

/** One writer at a time per project (two renders may finish together). */
function serial<T>(dir: string, fn: () => Promise<T>): Promise<T> {
  const key = resolve(dir);
  const next = (queues.get(key) ?? Promise.resolve()).then(fn, fn);
  queues.set(key, next.catch(() => {}));
  return next;
}

async function readHistory(dir: string): Promise<Stored[]> {
  try {
    const parsed = HistoryFile.safeParse(JSON.parse(await fs.readFile(join(dir, RENDER_HISTORY_FILE), 'utf8')));
    // A damaged list is started again rather than failing renders: it only indexes files.
    return parsed.success ? parsed.data.renders : [];
  } catch {
    return [];
  }
}

/** Adds a finished render (a re-render of the same file replaces its entry). */
export function recordRender(dir: string, req: Pick<RenderRequest, 'codec' | 'layout'>, r: RenderResult, now = new Date()): Promise<void> {
  return serial(dir, async () => {
    const file = resolve(r.file);
    const entry: Stored = {
      file,
      codec: req.codec,
      layout: req.layout,
      frames: r.frames,
      fps: r.fps,
      width: r.width,
      height: r.height,
      audio: r.audio,
      checkpointStep: r.checkpointStep,
      renderedAt: now.toISOString(),
    };
    const renders = [entry, ...(await readHistory(dir)).filter((e) => e.file !== file)].slice(0, MAX_ENTRIES);
    await writeFileAtomic(join(dir, RENDER_HISTORY_FILE), JSON.stringify({ version: 1, renders }, null, 2) + '\n');
  });
}

async function sizeOf(path: string): Promise<number | null> {
  const st = await fs.stat(path).catch(() => null);
  if (!st) return null;
  if (st.isFile()) return st.size;
  if (!st.isDirectory()) return null;
  let total = 0;
  for (const name of await fs.readdir(path)) total += (await fs.stat(join(path, name)).catch(() => null))?.size ?? 0;
  return total;
}

/** The project's renders, newest first, with their size on disk now. */
export async function listRenders(dir: string): Promise<RenderEntry[]> {
  const out: RenderEntry[] = [];
  for (const e of await readHistory(dir)) out.push({ ...e, size: await sizeOf(e.file) });
  return out;
}

/** The recorded video render at `file`, if the studio made it for this project (what the players may serve). */
export async function recordedVideo(dir: string, file: string): Promise<Stored | null> {
  const want = resolve(file);
  const e = (await readHistory(dir)).find((x) => x.file === want);
  return e && e.codec !== 'png' ? e : null;
}
