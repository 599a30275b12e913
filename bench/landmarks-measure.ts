/**
 * Throughput check, not a test: `npx tsx bench/landmarks-measure.ts VIDEO
 * [frames] [workers] [maxHeight]`. Prints one JSON line: decode-only ms/frame, then
 * tracking wall ms/frame (aggregate) and per-worker decode/detect ms/frame.
 */
import { decodeFrames } from '../src-main/services/video/decode.js';
import { trackLandmarks, type TrackProgress } from '../src-main/services/landmarks/track.js';

const [path, framesArg, workersArg, maxHeightArg] = process.argv.slice(2);
if (!path) {
  console.error('usage: landmarks-measure.ts VIDEO [frames] [workers] [maxHeight]');
  process.exit(2);
}
const count = Number(framesArg) || 240;
const workers = Number(workersArg) || 2;
// Omitted: trackLandmarks' default tracking height; 0: full size.
const maxHeight = maxHeightArg === undefined ? undefined : Number(maxHeightArg);

let t0 = performance.now();
let n = 0, width = 0, height = 0;
for await (const f of decodeFrames(path, { count, maxHeight: maxHeight ?? 360 })) {
  n++;
  width = f.width;
  height = f.height;
}
const decodeOnly = (performance.now() - t0) / n;

t0 = performance.now();
let last: TrackProgress | null = null;
let faces = 0, tracked = 0;
for await (const r of trackLandmarks(path, { range: { start: 0, count }, workers, maxHeight, onProgress: (p) => (last = p) })) {
  tracked++;
  if (r.landmarks) faces++;
}
const wall = performance.now() - t0;
const p = last as TrackProgress | null;
console.log(JSON.stringify({
  video: path.split('/').pop(), size: `${width}x${height}`, frames: tracked, faces, workers,
  decodeOnlyMsPerFrame: +decodeOnly.toFixed(2),
  trackWallMsPerFrame: +(wall / tracked).toFixed(2), trackFps: +((tracked * 1000) / wall).toFixed(1),
  perWorkerDecodeMs: p ? +p.decodeMs.toFixed(2) : null, perWorkerDetectMs: p ? +p.detectMs.toFixed(2) : null,
}));
