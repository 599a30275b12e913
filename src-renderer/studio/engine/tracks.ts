import type { TrackingData } from '../../../src-shared/ipc/contract.js';
import { CHANNELS, emptyTracks, type BaseTracks } from '../../../src-shared/timeline/index.js';

/** True when tracking produced curves for at least one frame. */
export function hasCurves(data: TrackingData | null): boolean {
  return !!data && data.status.some((s) => s === 1) && Object.keys(data.channels).length > 0;
}

/**
 * The tracked curves as the timeline's base tracks. Channels the tracker did not report keep
 * their defaults; frames without a face are flagged invalid (already gap-filled by the service).
 */
export function baseFromTracking(data: TrackingData | null, fps: number, frameCount: number): BaseTracks {
  if (!data || !hasCurves(data)) return emptyTracks(fps, frameCount);
  const n = data.frameCount;
  const t = emptyTracks(data.fps, n);
  for (const d of CHANNELS) {
    const src = data.channels[d.id];
    if (src && src.length >= n) t.channels[d.id] = Float32Array.from(src.slice(0, n));
  }
  t.valid = Uint8Array.from(data.status.slice(0, n).map((s) => (s === 1 ? 1 : 0)));
  if (data.sh.length >= n * 27) t.sh = Float32Array.from(data.sh.slice(0, n * 27));
  return t;
}
