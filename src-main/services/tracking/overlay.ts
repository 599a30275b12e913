import { createActorModel, createFaceGeometry, evalFace, neutralParams, project, TRIANGLES, VERTEX_COUNT } from '../../../src-shared/face/index.js';
import { STATUS_FACE, readRecord } from '../../../src-shared/tracks/record.js';
import type { ActorFile } from './track-files.js';

function plot(rgb: Uint8Array, w: number, h: number, x: number, y: number, c: readonly [number, number, number], alpha = 1): void {
  const xi = Math.round(x);
  const yi = Math.round(y);
  if (xi < 0 || yi < 0 || xi >= w || yi >= h) return;
  const o = (yi * w + xi) * 3;
  for (let k = 0; k < 3; k++) rgb[o + k] = Math.round(rgb[o + k]! * (1 - alpha) + c[k]! * alpha);
}

function line(rgb: Uint8Array, w: number, h: number, x0: number, y0: number, x1: number, y1: number, c: readonly [number, number, number], alpha: number): void {
  const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
  for (let s = 0; s <= steps; s++) plot(rgb, w, h, x0 + ((x1 - x0) * s) / steps, y0 + ((y1 - y0) * s) / steps, c, alpha);
}

const MESH = [80, 170, 255] as const;
const LANDMARK = [80, 255, 120] as const;
const NO_FACE = [255, 80, 80] as const;

/**
 * Draws the fitted model's mesh (blue) and the detector's landmarks (green) over a frame;
 * a red border marks a frame without a usable face. What you see is what the fit did.
 */
export function drawOverlay(
  rgb: Uint8Array,
  w: number,
  h: number,
  data: { actor: ActorFile | null; record: Float32Array | null; landmarks: Float32Array | null },
): void {
  const p = neutralParams();
  const status = data.record ? readRecord(data.record, 0, p) : 0;
  if (data.actor && status === STATUS_FACE) {
    const actor = createActorModel(Float32Array.from(data.actor.neutral), Float32Array.from(data.actor.albedo));
    const geo = createFaceGeometry();
    evalFace(actor, p, geo);
    const pts = new Float32Array(VERTEX_COUNT * 2);
    project({ focalPx: data.actor.focalPx, width: data.actor.width, height: data.actor.height }, geo.positions, pts);
    for (let t = 0; t < TRIANGLES.length; t += 3) {
      const a = TRIANGLES[t]!;
      const b = TRIANGLES[t + 1]!;
      const c = TRIANGLES[t + 2]!;
      line(rgb, w, h, pts[2 * a]!, pts[2 * a + 1]!, pts[2 * b]!, pts[2 * b + 1]!, MESH, 0.45);
      line(rgb, w, h, pts[2 * b]!, pts[2 * b + 1]!, pts[2 * c]!, pts[2 * c + 1]!, MESH, 0.45);
    }
  }
  if (data.landmarks && !Number.isNaN(data.landmarks[0])) {
    for (let i = 0; i < data.landmarks.length / 3; i++) plot(rgb, w, h, data.landmarks[3 * i]!, data.landmarks[3 * i + 1]!, LANDMARK, 1);
  }
  if (status !== STATUS_FACE) {
    for (let x = 0; x < w; x++) {
      plot(rgb, w, h, x, 0, NO_FACE);
      plot(rgb, w, h, x, h - 1, NO_FACE);
    }
    for (let y = 0; y < h; y++) {
      plot(rgb, w, h, 0, y, NO_FACE);
      plot(rgb, w, h, w - 1, y, NO_FACE);
    }
  }
}
