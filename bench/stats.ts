import { loadavg } from 'node:os';

/** A time figure as the project reports them: median with the range of several runs. */
export interface Spread {
  median: number;
  min: number;
  max: number;
  runs: number[];
}

export function spread(xs: number[], digits = 3): Spread {
  const r = (x: number) => Math.round(x * 10 ** digits) / 10 ** digits;
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  const median = s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
  return { median: r(median), min: r(s[0]!), max: r(s[s.length - 1]!), runs: xs.map(r) };
}

/** 1-minute load average now: what else the 2 cores were doing while a figure was taken. */
export function load1(): number {
  return Math.round(loadavg()[0]! * 100) / 100;
}
