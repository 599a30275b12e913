import { createActorModel, createFaceGeometry, evalFace, MESH_VERTEX_COUNT, neutralParams, project, VERTEX_COUNT, LEFT_EYE, RIGHT_EYE } from '../../../src-shared/face/index.js';
import { RECORD_FLOATS, STATUS_FACE, readRecord } from '../../../src-shared/tracks/record.js';
import type { ActorFile } from './track-files.js';
import { LANDMARK_FLOATS } from './track-files.js';

export interface TrackQuality {
  frames: number;
  /** Mean 2D distance between the fitted model's projected vertices and the detector's landmarks, / inter-ocular distance. */
  meanNormalizedError: number;
  p95NormalizedError: number;
  /** Mean |second difference| of fitted 2D landmark positions, / inter-ocular distance (frame-to-frame acceleration). */
  jitter: number;
  /** The same figure on the raw detector landmarks, for comparison. */
  detectorJitter: number;
}

/**
 * Real-video figures of a track: how well the fitted model explains the detector, and how
 * much the result shakes. Inter-ocular distance = outer eye corners in the detector's frame.
 */
export function trackQuality(records: Float32Array, landmarks: Float32Array, actorFile: ActorFile, start = 0, count = Infinity): TrackQuality {
  const n = Math.min(Math.floor(records.length / RECORD_FLOATS), Math.floor(landmarks.length / LANDMARK_FLOATS));
  const end = Math.min(n, start + count);
  const actor = createActorModel(Float32Array.from(actorFile.neutral), Float32Array.from(actorFile.albedo));
  const cam = { focalPx: actorFile.focalPx, width: actorFile.width, height: actorFile.height };
  const geo = createFaceGeometry();
  const p = neutralParams();
  const pts = new Float32Array(VERTEX_COUNT * 2);
  const prev1 = new Float32Array(MESH_VERTEX_COUNT * 2);
  const prev2 = new Float32Array(MESH_VERTEX_COUNT * 2);
  const errs: number[] = [];
  let jit = 0;
  let djit = 0;
  let jn = 0;
  let run = 0;
  const lo = LEFT_EYE.outer;
  const ro = RIGHT_EYE.outer;
  for (let f = start; f < end; f++) {
    const l = landmarks.subarray(f * LANDMARK_FLOATS, (f + 1) * LANDMARK_FLOATS);
    if (readRecord(records, f, p) !== STATUS_FACE || Number.isNaN(l[0])) {
      run = 0;
      continue;
    }
    evalFace(actor, p, geo);
    project(cam, geo.positions, pts);
    const iod = Math.hypot(l[3 * lo]! - l[3 * ro]!, l[3 * lo + 1]! - l[3 * ro + 1]!);
    let e = 0;
    for (let i = 0; i < MESH_VERTEX_COUNT; i++) e += Math.hypot(pts[2 * i]! - l[3 * i]!, pts[2 * i + 1]! - l[3 * i + 1]!);
    errs.push(e / MESH_VERTEX_COUNT / iod);
    if (run >= 2) {
      let a = 0;
      let d = 0;
      const lp1 = landmarks.subarray((f - 1) * LANDMARK_FLOATS, f * LANDMARK_FLOATS);
      const lp2 = landmarks.subarray((f - 2) * LANDMARK_FLOATS, (f - 1) * LANDMARK_FLOATS);
      for (let i = 0; i < MESH_VERTEX_COUNT; i++) {
        a += Math.hypot(pts[2 * i]! - 2 * prev1[2 * i]! + prev2[2 * i]!, pts[2 * i + 1]! - 2 * prev1[2 * i + 1]! + prev2[2 * i + 1]!);
        d += Math.hypot(l[3 * i]! - 2 * lp1[3 * i]! + lp2[3 * i]!, l[3 * i + 1]! - 2 * lp1[3 * i + 1]! + lp2[3 * i + 1]!);
      }
      jit += a / MESH_VERTEX_COUNT / iod;
      djit += d / MESH_VERTEX_COUNT / iod;
      jn++;
    }
    prev2.set(prev1);
    prev1.set(pts.subarray(0, MESH_VERTEX_COUNT * 2));
    run++;
  }
  errs.sort((a, b) => a - b);
  const mean = errs.reduce((s, v) => s + v, 0) / Math.max(1, errs.length);
  return {
    frames: errs.length,
    meanNormalizedError: mean,
    p95NormalizedError: errs[Math.min(errs.length - 1, Math.floor(0.95 * errs.length))] ?? Number.NaN,
    jitter: jn ? jit / jn : Number.NaN,
    detectorJitter: jn ? djit / jn : Number.NaN,
  };
}
