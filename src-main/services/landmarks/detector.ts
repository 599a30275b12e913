import type { FaceResult, Human } from '@vladmandic/human';
import { createHuman, type HumanOptions } from './human.js';
import { LANDMARK_COUNT, type FaceLandmarks } from './types.js';

/** Human's gate value that lets the face cache work on video (its frame diff is tiny). */
const CACHE_ON = 0.7;

function area(f: FaceResult): number {
  return f.box[2] * f.box[3];
}

/** Largest face wins, so the same actor is picked frame after frame when extras appear. */
export function pickLargest(faces: readonly FaceResult[]): FaceResult | null {
  let best: FaceResult | null = null;
  for (const f of faces) {
    if (f.mesh.length < LANDMARK_COUNT) continue;
    if (!best || area(f) > area(best)) best = f;
  }
  return best;
}

export function toLandmarks(face: FaceResult, faceCount: number): FaceLandmarks {
  const points = new Float32Array(LANDMARK_COUNT * 3);
  for (let i = 0; i < LANDMARK_COUNT; i++) {
    const p = face.mesh[i]!;
    points[i * 3] = p[0];
    points[i * 3 + 1] = p[1];
    points[i * 3 + 2] = p[2] ?? 0;
  }
  const [x, y, width, height] = face.box;
  return { points, box: { x, y, width, height }, score: face.boxScore, meshScore: face.faceScore, faceCount };
}

/**
 * Face mesh + iris on one thread. In `video` mode frames are expected in order: the mesh
 * tracks from the previous frame's box and the detector runs only every `skipFrames`
 * frames or when tracking is lost. Call `restart()` after any jump (a seek, a new chunk).
 */
export class LandmarkDetector {
  private fresh = true;

  private constructor(
    private readonly human: Human,
    private readonly tracking: boolean,
  ) {}

  static async create(opts: HumanOptions = {}): Promise<LandmarkDetector> {
    const human = await createHuman(opts);
    return new LandmarkDetector(human, (opts.skipFrames ?? 0) > 0);
  }

  restart(): void {
    this.fresh = true;
  }

  async detect(rgb: Uint8Array, width: number, height: number): Promise<FaceLandmarks | null> {
    if (rgb.length !== width * height * 3) {
      throw new RangeError(`RGB buffer has ${rgb.length} bytes, expected ${width}x${height}x3`);
    }
    const tf = this.human.tf;
    const input = tf.tensor4d(rgb, [1, height, width, 3], 'int32');
    try {
      const cached = this.tracking && !this.fresh;
      let faces = await this.run(input, cached);
      // A stale box (scene cut, fast motion) loses the face: detect afresh on the same frame.
      if (faces.length === 0 && cached) faces = await this.run(input, false);
      this.fresh = faces.length === 0;
      const best = pickLargest(faces);
      return best ? toLandmarks(best, faces.length) : null;
    } finally {
      tf.dispose(input);
    }
  }

  private async run(input: unknown, cached: boolean): Promise<FaceResult[]> {
    // The gate is read on every detect; 0 forbids reusing cached boxes.
    this.human.config.cacheSensitivity = cached ? CACHE_ON : 0;
    const res = await this.human.detect(input as Parameters<Human['detect']>[0]);
    return res.face;
  }

  dispose(): void {
    this.human.tf.disposeVariables();
  }
}

let shared: Promise<LandmarkDetector> | null = null;

/**
 * Landmarks of one still frame (a preview, a seek). Runs on the calling thread with a
 * lazily loaded detector (about 0.5 s the first time); use trackLandmarks for videos.
 */
export async function detectLandmarks(rgb: Uint8Array, width: number, height: number): Promise<FaceLandmarks | null> {
  shared ??= LandmarkDetector.create({ skipFrames: 0 });
  return (await shared).detect(rgb, width, height);
}
