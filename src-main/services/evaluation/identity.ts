import type { Config, FaceResult, Human } from '@vladmandic/human';
import { createHuman } from '../landmarks/human.js';

/**
 * Face identity for evaluating the neural renderer: the 1024-d descriptor of Human's
 * `faceres` model (HSE-FaceRes, shipped in @vladmandic/human/models) of the largest face,
 * L2-normalised, compared with cosine similarity (synthesized frame vs real frame).
 */

/**
 * What the embedder adds to the tracker's Human config (`humanConfig`, which it otherwise
 * keeps as is: blazeface + mesh, detector on every call, cacheSensitivity 0 so no box
 * is reused from the previous image). Iris is not needed
 * for the descriptor. skipFrames/skipTime 0: faceres keeps a module-level cache of the
 * last result, never reuse it for a different image.
 */
const EMBED_CONFIG = {
  face: {
    iris: { enabled: false },
    description: { enabled: true, modelPath: 'faceres.json', skipFrames: 0, skipTime: 0, minConfidence: 0.1 },
  },
} as unknown as Partial<Config>;

/**
 * Largest face that got a descriptor. (Not landmarks' pickLargest: with iris off the mesh
 * has 468 points, which it rejects.)
 */
function largestWithEmbedding(faces: readonly FaceResult[]): FaceResult | null {
  let best: FaceResult | null = null;
  for (const f of faces) {
    if (!f.embedding || f.embedding.length === 0) continue;
    if (!best || f.box[2] * f.box[3] > best.box[2] * best.box[3]) best = f;
  }
  return best;
}

/** L2-normalised copy; null for an all-zero or non-finite vector. */
export function normalize(v: ArrayLike<number>): Float32Array | null {
  let s = 0;
  for (let i = 0; i < v.length; i++) s += v[i]! * v[i]!;
  const n = Math.sqrt(s);
  if (!(n > 0) || !Number.isFinite(n)) return null;
  const out = new Float32Array(v.length);
  for (let i = 0; i < v.length; i++) out[i] = v[i]! / n;
  return out;
}

/** cos(a, b) in [-1, 1]; 0 when either vector is zero. Throws on different lengths. */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`Embeddings differ in length: ${a.length} vs ${b.length}`);
  let dot = 0, na = 0, nb = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i]!, y = b[i]!;
    dot += x * y;
    na += x * x;
    nb += y * y;
  }
  if (na === 0 || nb === 0) return 0;
  return Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)));
}

/**
 * Face descriptor on the calling thread (Human on tfjs-wasm; one per thread, like the
 * landmark detector). Each `embed` runs the detector afresh: inputs are unrelated stills.
 */
export class FaceEmbedder {
  private disposed = false;

  private constructor(private readonly human: Human) {}

  static async create(): Promise<FaceEmbedder> {
    // createHuman loads the tracker's config (and removes the wasm glue's process
    // handlers); the second load merges EMBED_CONFIG into this instance's config only and
    // loads faceres. The backend is already initialised, so no new handlers appear.
    const human = await createHuman({ maxFaces: 2, skipFrames: 0 });
    await human.load(EMBED_CONFIG);
    return new FaceEmbedder(human);
  }

  /** Normalised descriptor of the largest face in an RGB24 image; null when none is found. */
  async embed(rgb: Uint8Array, width: number, height: number): Promise<Float32Array | null> {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width <= 0 || height <= 0) {
      throw new RangeError(`Bad image size ${width}x${height}`);
    }
    if (rgb.length !== width * height * 3) {
      throw new RangeError(`RGB buffer has ${rgb.length} bytes, expected ${width}x${height}x3`);
    }
    if (this.disposed) throw new Error('FaceEmbedder is disposed');
    const tf = this.human.tf;
    // No upscaling of small inputs: blazeface resizes every input to 128x128 anyway, and it
    // finds the face in 128 px (even 96 px) head crops with face boxes of 0.5-1 of the
    // crop side at the same scores as in full frames; upscaling a 128 crop to 256 before
    // detection changed the crop-vs-full similarity by under 0.02, not consistently up.
    // faceres sees the mesh model's 192x192 face crop (resampled to 224) either way.
    const input = tf.tensor4d(rgb, [1, height, width, 3], 'int32');
    try {
      const res = await this.human.detect(input as unknown as Parameters<Human['detect']>[0]);
      const best = largestWithEmbedding(res.face);
      return best ? normalize(best.embedding!) : null;
    } finally {
      tf.dispose(input);
    }
  }

  /**
   * Like LandmarkDetector.dispose. The graph models themselves live in Human's module-level
   * state, shared with any other Human of this thread, so they are not freed here.
   */
  dispose(): void {
    this.disposed = true;
    this.human.tf.disposeVariables();
  }
}
