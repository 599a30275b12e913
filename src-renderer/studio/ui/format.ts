export function etaText(sec: number | null): string {
  if (sec === null) return '';
  if (sec < 60) return `· ${Math.ceil(sec)} s left`;
  return `· ${Math.floor(sec / 60)} min ${Math.ceil(sec % 60)} s left`;
}

export function fmtValue(v: number, unit: string): string {
  const a = Math.abs(v);
  const s = a >= 100 ? v.toFixed(0) : a >= 10 ? v.toFixed(1) : v.toFixed(2);
  return unit ? `${s} ${unit === 'deg' ? '°' : unit}` : s;
}
