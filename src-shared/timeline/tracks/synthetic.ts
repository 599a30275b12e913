import { SH_COEFFS } from '../../face/params.js';
import { CHANNELS } from '../channels/declarations.js';
import { emptyTracks, type BaseTracks } from './base-tracks.js';

/**
 * Smooth, plausible motion for tests, benchmarks and demos with nothing tracked: every
 * channel a sum of two sines around its default, inside its range, deterministic per seed.
 */
export function syntheticTracks(fps: number, frameCount: number, seed = 1): BaseTracks {
  const t = emptyTracks(fps, frameCount);
  CHANNELS.forEach((d, c) => {
    const span = Math.min(d.max - d.min, d.group === 'head' && d.unit === 'mm' ? 200 : d.max - d.min);
    const amp = 0.15 * span;
    const mid = d.group === 'blink' || d.group === 'expression' ? 0.3 : d.default;
    const w1 = (0.5 + ((seed * 7 + c * 13) % 17) / 10) / fps;
    const w2 = (1.7 + ((seed * 11 + c * 5) % 13) / 7) / fps;
    const a = t.channels[d.id];
    for (let f = 0; f < frameCount; f++) {
      const v = mid + amp * (0.7 * Math.sin(2 * Math.PI * w1 * f + c) + 0.3 * Math.sin(2 * Math.PI * w2 * f + seed));
      a[f] = Math.min(d.max, Math.max(d.min, v));
    }
  });
  const sh = new Float32Array(frameCount * SH_COEFFS);
  for (let f = 0; f < frameCount; f++) {
    for (let k = 0; k < SH_COEFFS; k++) sh[f * SH_COEFFS + k] = k < 3 ? 1 : 0.05 * Math.sin(f / fps + k);
  }
  t.sh = sh;
  return t;
}
