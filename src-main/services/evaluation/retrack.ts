/**
 * Re-tracking of single frames for control-fidelity evaluation (src-shared/evaluation):
 * a synthesized full frame is tracked again with the project's own tracker pieces — the
 * same landmark detector, the same FrameFitter against the video's frozen actor identity and
 * camera — so the measured parameters can be compared with the ones that conditioned it.
 *
 * Every call is a still: the detector is restarted and runs its face detector afresh
 * (skipFrames 0, no box carried from the previous call), so a frame's result does not depend
 * on which frames were tracked before it. Lighting (SH) is not estimated: `params.sh` is the
 * neutral ambient light.
 *
 * Noise floor (retrack.test.ts, franck 360x288, ~80 px between the outer eye corners): real
 * frames re-tracked against their own tracked parameters differ by ~1.5 deg of pose (mostly
 * pitch), ~3 deg of gaze and ~0.012 IOD of landmarks, because the detector's mesh depends on
 * its crop box (fresh here, carried from the previous frame in tracking). Report a renderer's
 * control error beside that real-frame reference, not against zero.
 */
import { createActorModel, neutralParams, type ActorModel, type CameraIntrinsics, type FaceParams } from '../../../src-shared/face/index.js';
import { FrameFitter } from '../../../src-shared/face/fit/frame-fit.js';
import type { VideoRole } from '../../../src-shared/project/schema.js';
import { LandmarkDetector } from '../landmarks/detector.js';
import type { FaceLandmarks } from '../landmarks/types.js';
import { ActorFile, readJson, trackPaths } from '../tracking/track-files.js';

export interface RetrackResult {
  params: FaceParams;
  /** The fitter's confidence (0..1; the tracker keeps a frame at >= 0.15). */
  confidence: number;
  /** Robust RMS reprojection error over the surface landmarks / outer-eye-corner distance. */
  normalizedError: number;
  /** The detector's landmarks the fit was made to (frame pixels). */
  landmarks: FaceLandmarks;
}

export class Retracker {
  private queue: Promise<unknown> = Promise.resolve();
  private disposed = false;

  private constructor(
    private readonly detector: LandmarkDetector,
    private readonly fitter: FrameFitter,
    readonly actor: ActorModel,
    readonly camera: CameraIntrinsics,
  ) {}

  /** Loads the landmark detector (about 1-2 s) for frames of `camera`'s size, fitted with `actor`'s frozen identity. */
  static async create(actor: ActorModel, camera: CameraIntrinsics): Promise<Retracker> {
    const detector = await LandmarkDetector.create({ skipFrames: 0 });
    return new Retracker(detector, new FrameFitter(actor, camera), actor, camera);
  }

  /** The actor and camera a tracked project video was fitted with; null when it has not been tracked. */
  static async loadActor(dir: string, role: VideoRole): Promise<{ actor: ActorModel; camera: CameraIntrinsics } | null> {
    const f = await readJson(trackPaths(dir, role).actor, ActorFile);
    if (!f) return null;
    return {
      actor: createActorModel(Float32Array.from(f.neutral), Float32Array.from(f.albedo)),
      camera: { focalPx: f.focalPx, width: f.width, height: f.height },
    };
  }

  /**
   * Tracks one full frame (RGB, width x height must be the camera's frame size). Returns null
   * when the detector finds no face. Low-confidence fits are returned with their confidence:
   * the caller decides (the tracker itself drops frames below 0.15).
   *
   * `warm` null (default): a cold start, as for the first frame of a track — the pose is
   * initialised by aligning the actor to the detector's 3D mesh, then 3 pose-only and 7 full
   * Gauss-Newton iterations, gaze solved from straight ahead. The result depends only on the
   * image. With `warm` (the previous frame's result, as the tracker does mid-video): the fit
   * starts from `warm`'s pose, expression, blink and gaze, runs 4 iterations, and adds the
   * temporal prior that pulls the expression toward `warm.expression`. That reproduces the
   * tracker's behaviour on a sequence, but biases the measurement toward `warm`: never pass
   * the *requested* parameters as `warm` when measuring control error.
   */
  track(rgb: Uint8Array, width: number, height: number, warm: FaceParams | null = null): Promise<RetrackResult | null> {
    const run = this.queue.then(() => this.trackNow(rgb, width, height, warm));
    this.queue = run.catch(() => undefined);
    return run;
  }

  private async trackNow(rgb: Uint8Array, width: number, height: number, warm: FaceParams | null): Promise<RetrackResult | null> {
    if (this.disposed) throw new Error('Retracker was disposed');
    if (width !== this.camera.width || height !== this.camera.height) {
      throw new RangeError(`Frame is ${width}x${height}, but the actor's camera is ${this.camera.width}x${this.camera.height}: re-track full frames of the tracked video's size`);
    }
    this.detector.restart();
    const landmarks = await this.detector.detect(rgb, width, height);
    if (!landmarks) return null;
    const params = neutralParams();
    const r = this.fitter.fit(landmarks.points, params, warm);
    return { params, confidence: r.confidence, normalizedError: r.normalizedError, landmarks };
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.detector.dispose();
  }
}
