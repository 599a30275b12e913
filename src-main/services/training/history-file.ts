/**
 * The loss history of a project, one JSON line per training step in checkpoints/history.jsonl,
 * appended as training goes (never rewritten whole), and read back as a thinned view of a
 * bounded number of points: memory and reply size stay flat however long a run is.
 *
 * Durability: the trainer syncs the history before it writes a checkpoint, so a checkpoint
 * always has its history; steps appended after the last checkpoint (a kill) are cut off when
 * the run resumes from that checkpoint. Projects from before keep a history.json (one array):
 * it is read as it is and converted to history.jsonl by the next run that resumes.
 */
import { closeSync, createReadStream, fsyncSync, openSync, writeSync, ftruncateSync, promises as fs } from 'node:fs';
import { createInterface } from 'node:readline';
import { join } from 'node:path';
import { TrainingMetrics } from '../../../src-shared/ipc/contract.js';
import { writeFileAtomic } from '../../fs/atomic-write.js';
import { readJson } from '../../fs/read-json.js';
import { z } from 'zod';

export function historyPaths(root: string) {
  return { log: join(root, 'history.jsonl'), legacy: join(root, 'history.json') };
}

/** Points of a thinned view: loss points and validation points each, plus the recent tail. */
export const HISTORY_VIEW_POINTS = 1000;
/** The latest steps, kept whole in every view: the recent run in full detail, and the dashboard joins live progress onto it. */
export const HISTORY_VIEW_TAIL = 100;

/**
 * Every stored point in step order (skipping lines that do not parse: a torn last line after
 * a kill, a damaged disk block), from history.jsonl, else from a legacy history.json.
 */
export async function forEachPoint(root: string, fn: (m: TrainingMetrics) => void): Promise<{ unreadable: number }> {
  const p = historyPaths(root);
  const stream = createReadStream(p.log, { encoding: 'utf8' });
  const opened = await new Promise<boolean>((resolve) => {
    stream.once('open', () => resolve(true));
    stream.once('error', () => resolve(false));
  });
  if (!opened) {
    stream.destroy();
    const legacy = await readJson(p.legacy, z.array(TrainingMetrics)).catch(() => null);
    for (const m of legacy ?? []) fn(m);
    return { unreadable: 0 };
  }
  let unreadable = 0;
  for await (const line of createInterface({ input: stream, crlfDelay: Infinity })) {
    if (!line) continue;
    const m = parseLine(line);
    if (m) fn(m);
    else unreadable++;
  }
  return { unreadable };
}

function parseLine(line: string): TrainingMetrics | null {
  try {
    const r = TrainingMetrics.safeParse(JSON.parse(line));
    return r.success ? r.data : null;
  } catch {
    return null;
  }
}

const isValidation = (m: TrainingMetrics) => m.psnr !== undefined || m.ssim !== undefined;

/**
 * Keeps an even spread of at most `max` points of a stream of unknown length: every
 * `stride`-th point, the stride doubling (and every other kept point dropped) when full.
 */
class EvenSpread {
  private stride = 1;
  private seen = 0;
  readonly points: TrainingMetrics[] = [];

  constructor(private readonly max: number) {}

  add(m: TrainingMetrics): void {
    if (this.seen++ % this.stride !== 0) return;
    this.points.push(m);
    if (this.points.length > this.max) {
      this.stride *= 2;
      let w = 0;
      for (let i = 0; i < this.points.length; i += 2) this.points[w++] = this.points[i]!;
      this.points.length = w;
    }
  }
}

/**
 * A view of at most 2 x `max` + `tail` points for charts and status replies: an even spread of
 * the loss points, an even spread of the validation points, and the latest `tail` points whole.
 * `upTo` leaves out steps past it (the steps after the last checkpoint, which a resume discards).
 * Runs of up to `max` steps come back whole.
 */
export async function readHistoryView(root: string, opts: { max?: number; tail?: number; upTo?: number } = {}): Promise<TrainingMetrics[]> {
  const max = opts.max ?? HISTORY_VIEW_POINTS;
  const tail = Math.max(1, opts.tail ?? HISTORY_VIEW_TAIL);
  const losses = new EvenSpread(max);
  const vals = new EvenSpread(max);
  const recent: TrainingMetrics[] = [];
  await forEachPoint(root, (m) => {
    if (opts.upTo !== undefined && m.step > opts.upTo) return;
    losses.add(m);
    if (isValidation(m)) vals.add(m);
    recent.push(m);
    if (recent.length > 2 * tail) recent.splice(0, tail);
  });
  const byStep = new Map<number, TrainingMetrics>();
  for (const m of [...losses.points, ...vals.points, ...recent.slice(-tail)]) byStep.set(m.step, m);
  return [...byStep.values()].sort((a, b) => a.step - b.step);
}

/** The last point and the last validation point at or before `step` (snapshot figures). */
export async function lastPointsUpTo(root: string, step: number): Promise<{ last: TrainingMetrics | null; lastValidation: TrainingMetrics | null }> {
  let last: TrainingMetrics | null = null;
  let lastValidation: TrainingMetrics | null = null;
  await forEachPoint(root, (m) => {
    if (m.step > step) return;
    last = m;
    if (isValidation(m)) lastValidation = m;
  });
  return { last, lastValidation };
}

/** Forgets the history (a run from scratch). */
export async function removeHistory(root: string): Promise<void> {
  const p = historyPaths(root);
  await fs.rm(p.log, { force: true });
  await fs.rm(p.legacy, { force: true });
}

/**
 * The training run's side of the history: opened at the step the run starts from (everything
 * after it cut off), appended once per step, synced before each checkpoint.
 */
export class HistoryWriter {
  private constructor(
    private fd: number | null,
    /** Lines of the file that did not parse and were kept (they are skipped when read). */
    readonly unreadable: number,
  ) {}

  /**
   * Keeps the steps up to `startStep` (none for a fresh run), converting a legacy
   * history.json; a line that does not parse is kept in place (readers skip it), except a torn
   * last line, which is cut so the next append starts on a line of its own.
   */
  static async open(root: string, startStep: number | null): Promise<HistoryWriter> {
    const p = historyPaths(root);
    const hasLog = await fs.access(p.log).then(() => true, () => false);
    if (!hasLog && startStep !== null) {
      const legacy = await readJson(p.legacy, z.array(TrainingMetrics)).catch(() => null);
      if (legacy) await writeFileAtomic(p.log, legacy.filter((m) => m.step <= startStep).map((m) => `${JSON.stringify(m)}\n`).join(''));
    }
    if (startStep === null) await removeHistory(root);
    else await fs.rm(p.legacy, { force: true });
    const { keepBytes, unreadable } = startStep === null ? { keepBytes: 0, unreadable: 0 } : await prefixUpTo(p.log, startStep);
    const fd = openSync(p.log, 'a+');
    ftruncateSync(fd, keepBytes);
    return new HistoryWriter(fd, unreadable);
  }

  append(m: TrainingMetrics): void {
    if (this.fd === null) throw new Error('history appended after close');
    writeSync(this.fd, `${JSON.stringify(m)}\n`);
  }

  /** Durable up to here: called before a checkpoint is written. */
  sync(): void {
    if (this.fd !== null) fsyncSync(this.fd);
  }

  close(): void {
    if (this.fd === null) return;
    closeSync(this.fd);
    this.fd = null;
  }
}

/** Bytes of the log's whole lines up to the first point past `step` (or a torn last line). */
async function prefixUpTo(file: string, step: number): Promise<{ keepBytes: number; unreadable: number }> {
  let keepBytes = 0;
  let unreadable = 0;
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, 'r');
  } catch {
    return { keepBytes: 0, unreadable: 0 };
  }
  try {
    const buf = Buffer.alloc(1 << 16);
    let carry = Buffer.alloc(0);
    let offset = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, 0, buf.length, offset);
      if (bytesRead === 0) break;
      offset += bytesRead;
      let chunk = Buffer.concat([carry, buf.subarray(0, bytesRead)]);
      let nl: number;
      while ((nl = chunk.indexOf(10)) >= 0) {
        const line = chunk.subarray(0, nl).toString('utf8');
        const m = line ? parseLine(line) : null;
        if (m && m.step > step) return { keepBytes, unreadable };
        if (!m && line) unreadable++;
        keepBytes += nl + 1;
        chunk = chunk.subarray(nl + 1);
      }
      carry = Buffer.from(chunk);
    }
    // Whatever follows the last newline is a torn write: dropped.
    return { keepBytes, unreadable };
  } finally {
    await handle.close();
  }
}
