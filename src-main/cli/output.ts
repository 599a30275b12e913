import { isPortraitError, toErrorShape } from '../../src-shared/ipc/errors.js';

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

export const processIo: Io = {
  out: (l) => process.stdout.write(`${l}\n`),
  err: (l) => process.stderr.write(`${l}\n`),
};

export class UsageError extends Error {}

/** A flag that must be a positive integer when given (`--steps 400`); undefined when absent. */
export function positiveIntFlag(values: Record<string, string | boolean | undefined>, name: string): number | undefined {
  const v = values[name];
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isInteger(n) || n <= 0) throw new UsageError(`--${name} must be a positive integer`);
  return n;
}

/** `--json` errors are JSON on stdout too, so scripts parse one stream. */
export function reportError(io: Io, e: unknown, json: boolean): number {
  if (e instanceof UsageError) {
    io.err(`portrait: ${e.message}\nRun \`portrait --help\` for usage.`);
    return 2;
  }
  const shape = toErrorShape(e);
  if (json) io.out(JSON.stringify({ error: shape }));
  else io.err(`error [${shape.code}]: ${shape.message}`);
  if (!isPortraitError(e) && shape.code === 'INTERNAL' && e instanceof Error && process.env['PORTRAIT_DEBUG']) io.err(e.stack ?? '');
  return 1;
}

export function formatDuration(sec: number): string {
  const h = Math.floor(sec / 3600);
  const m = Math.floor((sec % 3600) / 60);
  const s = sec % 60;
  return `${h > 0 ? `${h}:` : ''}${String(m).padStart(h > 0 ? 2 : 1, '0')}:${s.toFixed(2).padStart(5, '0')}`;
}

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let i = 0;
  while (v >= 1024 && i < units.length - 1) {
    v /= 1024;
    i++;
  }
  return `${v.toFixed(1)} ${units[i]}`;
}
