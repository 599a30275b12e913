/**
 * Per-frame fit of pose, expression, blink and gaze to detector landmarks, against a frozen
 * actor (identity), with a fixed perspective camera.
 *
 * Energy (pixels^2): sum_i rho(|pi(R (neutral_i + sum_k e_k B_ki + blink fields) + t) - l_i|)
 *   + lambdaE s^2 |e|^2 + lambdaT s^2 |e - e_prev|^2 + lambdaB s^2 |b|^2
 * over the 468 surface landmarks, where s = f / -tz (px per mm) keeps the priors scale-free and
 * rho is Huber (IRLS: weights min(1, k sigma / |r|), sigma = 1.4826 median |r|). Solved by
 * Gauss-Newton (Levenberg damping) on [rotation increment (3), t (3), e (39), blink (2)] with
 * e and blink projected onto [0, 1] after each step. Blink is the model's lid-closing field of
 * this actor, so its calibration is the actor's open-eye neutral. Gaze is then solved per eye
 * (2 unknowns) from the 5 iris landmarks with the head pose fixed.
 * A cold start initialises the pose from the detector's 3D mesh by similarity alignment and
 * runs pose-only iterations first; a warm start begins from the previous frame.
 */
import { EXPRESSION_COUNT, type CameraIntrinsics, type EyeGaze, type FaceParams } from '../params.js';
import { LEFT_EYE, MESH_VERTEX_COUNT, RIGHT_EYE, VERTEX_COUNT } from '../topology.js';
import type { ActorModel } from '../model/actor.js';
import { evalLocalShape, rotateIris } from '../model/eval.js';
import { expressionBasis } from '../model/expression-basis.js';
import { applyRotationUpdate, eulerFromRotation, rotationFromEuler } from '../math/rotation.js';
import { choleskySolve, medianInPlace } from '../math/linalg.js';
import { alignSimilarity, createAlignResult } from '../math/align.js';

export interface FitOptions {
  /** Gauss-Newton iterations per frame (cold start). */
  iterations: number;
  /**
   * Iterations when warm-started from the previous frame. On franck (400 frames) 4 warm
   * iterations give the same mean landmark error as 10 (0.01454 of the inter-ocular
   * distance) at well under half the cost: the fit is the tracker's single-threaded stage.
   */
  warmIterations: number;
  /** Of those, pose-only iterations on a cold start. */
  poseOnlyIterations: number;
  /** Prior weights, in px^2 per (mm of displacement)^2 -> scaled by s^2 internally. */
  expressionPrior: number;
  temporalPrior: number;
  blinkPrior: number;
  /** Huber threshold in robust standard deviations. */
  huberK: number;
  /** Lower bound of the robust sigma in px (stops IRLS from over-trusting a near-perfect fit). */
  minSigmaPx: number;
  /** Upper bound for expression coefficients (slightly above 1 lets exaggerated motions fit). */
  maxExpression: number;
}

export const DEFAULT_FIT_OPTIONS: FitOptions = {
  iterations: 10,
  warmIterations: 4,
  poseOnlyIterations: 3,
  expressionPrior: 1.5,
  temporalPrior: 0.5,
  blinkPrior: 0.5,
  huberK: 1.345,
  minSigmaPx: 0.3,
  maxExpression: 1,
};

export interface FrameFitResult {
  /** Robust RMS reprojection error over the surface landmarks, px. */
  rmsPx: number;
  /** rmsPx divided by the outer eye-corner distance in px (scale-free). */
  normalizedError: number;
  /** 0..1 from normalizedError: 1 = model explains the landmarks, 0 = unusable frame. */
  confidence: number;
}

const NP = 6 + EXPRESSION_COUNT + 2;
const IE = 6;
const IB = 6 + EXPRESSION_COUNT;

/** Normalised residual at which confidence falls to 1/e. Real detector meshes fit to ~2-4%. */
const CONFIDENCE_SCALE = 0.08;

export class FrameFitter {
  readonly options: FitOptions;
  private actor: ActorModel;
  private readonly camera: CameraIntrinsics;
  private readonly basis = expressionBasis();
  private readonly R = new Float64Array(9);
  private readonly Rtmp = new Float64Array(9);
  private readonly t = new Float64Array(3);
  private readonly e = new Float64Array(EXPRESSION_COUNT);
  private readonly ePrev = new Float64Array(EXPRESSION_COUNT);
  private readonly b = new Float64Array(2);
  private readonly local = new Float32Array(VERTEX_COUNT * 3);
  private readonly res = new Float64Array(MESH_VERTEX_COUNT * 2);
  private readonly absr = new Float64Array(MESH_VERTEX_COUNT);
  private readonly JtJ = new Float64Array(NP * NP);
  private readonly Jtr = new Float64Array(NP);
  private readonly ju = new Float64Array(NP);
  private readonly jv = new Float64Array(NP);
  private readonly dst3 = new Float64Array(MESH_VERTEX_COUNT * 3);
  private readonly align = createAlignResult();
  private readonly euler = new Float64Array(3);
  private readonly iris = new Float32Array(15);
  private readonly gaze: EyeGaze = { yaw: 0, pitch: 0 };
  private readonly probe: EyeGaze = { yaw: 0, pitch: 0 };
  private readonly zeroGaze: EyeGaze = { yaw: 0, pitch: 0 };

  constructor(actor: ActorModel, camera: CameraIntrinsics, options: Partial<FitOptions> = {}) {
    this.actor = actor;
    this.camera = camera;
    this.options = { ...DEFAULT_FIT_OPTIONS, ...options };
  }

  setActor(actor: ActorModel): void {
    this.actor = actor;
  }

  /**
   * Fits one frame. `warm` is the previous frame's result (or null for a cold start); `out`
   * receives pose, expression, gaze and blink (its sh is left untouched).
   */
  fit(landmarks: ArrayLike<number>, out: FaceParams, warm: FaceParams | null = null): FrameFitResult {
    const o = this.options;
    if (warm) {
      rotationFromEuler(warm.yaw, warm.pitch, warm.roll, this.R);
      this.t[0] = warm.tx;
      this.t[1] = warm.ty;
      this.t[2] = warm.tz;
      for (let k = 0; k < EXPRESSION_COUNT; k++) this.e[k] = this.ePrev[k] = warm.expression[k]!;
      this.b[0] = warm.blinkLeft;
      this.b[1] = warm.blinkRight;
    } else {
      this.initPose(landmarks);
      this.e.fill(0);
      this.ePrev.fill(0);
      this.b[0] = this.b[1] = 0;
    }
    let rms = 0;
    const iterations = warm ? o.warmIterations : o.iterations;
    for (let it = 0; it < iterations; it++) {
      const poseOnly = !warm && it < o.poseOnlyIterations;
      rms = this.step(landmarks, poseOnly, warm !== null);
    }
    rms = this.residuals(landmarks);

    eulerFromRotation(this.R, this.euler);
    out.yaw = this.euler[0]!;
    out.pitch = this.euler[1]!;
    out.roll = this.euler[2]!;
    out.tx = this.t[0]!;
    out.ty = this.t[1]!;
    out.tz = this.t[2]!;
    for (let k = 0; k < EXPRESSION_COUNT; k++) out.expression[k] = this.e[k]!;
    out.blinkLeft = this.b[0]!;
    out.blinkRight = this.b[1]!;
    this.fitGaze(landmarks, LEFT_EYE.iris, this.actor.eyeCentreLeft, warm ? warm.gazeLeft : this.zeroGaze, out.gazeLeft);
    this.fitGaze(landmarks, RIGHT_EYE.iris, this.actor.eyeCentreRight, warm ? warm.gazeRight : this.zeroGaze, out.gazeRight);

    const iod = Math.hypot(landmarks[3 * LEFT_EYE.outer]! - landmarks[3 * RIGHT_EYE.outer]!, landmarks[3 * LEFT_EYE.outer + 1]! - landmarks[3 * RIGHT_EYE.outer + 1]!);
    const normalizedError = rms / Math.max(iod, 1e-6);
    return { rmsPx: rms, normalizedError, confidence: Math.exp(-((normalizedError / CONFIDENCE_SCALE) ** 2)) };
  }

  /** Similarity-align the neutral to the detector's 3D mesh (x right, y up, z toward camera). */
  private initPose(l: ArrayLike<number>): void {
    const d = this.dst3;
    for (let i = 0; i < MESH_VERTEX_COUNT; i++) {
      d[3 * i] = l[3 * i]!;
      d[3 * i + 1] = -l[3 * i + 1]!;
      d[3 * i + 2] = -l[3 * i + 2]!;
    }
    const a = alignSimilarity(this.actor.neutral, d, MESH_VERTEX_COUNT, this.align);
    this.R.set(a.R);
    const f = this.camera.focalPx;
    const tz = -f / Math.max(a.scale, 1e-6);
    this.t[2] = tz;
    this.t[0] = ((a.c[0]! - this.camera.width / 2) * -tz) / f;
    this.t[1] = ((-a.c[1]! - this.camera.height / 2) * tz) / f;
  }

  /** Residuals at the current state into this.res; returns their RMS. */
  private residuals(l: ArrayLike<number>): number {
    evalLocalShape(this.actor, this.e, this.b[0]!, this.b[1]!, this.zeroGaze, this.zeroGaze, this.local);
    const R = this.R;
    const f = this.camera.focalPx;
    const cx = this.camera.width / 2;
    const cy = this.camera.height / 2;
    let ss = 0;
    for (let i = 0; i < MESH_VERTEX_COUNT; i++) {
      const x = this.local[3 * i]!;
      const y = this.local[3 * i + 1]!;
      const z = this.local[3 * i + 2]!;
      const X = R[0]! * x + R[1]! * y + R[2]! * z + this.t[0]!;
      const Y = R[3]! * x + R[4]! * y + R[5]! * z + this.t[1]!;
      const Z = R[6]! * x + R[7]! * y + R[8]! * z + this.t[2]!;
      const ru = cx - (f * X) / Z - l[3 * i]!;
      const rv = cy + (f * Y) / Z - l[3 * i + 1]!;
      this.res[2 * i] = ru;
      this.res[2 * i + 1] = rv;
      ss += ru * ru + rv * rv;
    }
    return Math.sqrt(ss / MESH_VERTEX_COUNT);
  }

  private step(l: ArrayLike<number>, poseOnly: boolean, temporal: boolean): number {
    const o = this.options;
    const rms = this.residuals(l);
    for (let i = 0; i < MESH_VERTEX_COUNT; i++) this.absr[i] = Math.hypot(this.res[2 * i]!, this.res[2 * i + 1]!);
    const sigma = Math.max(o.minSigmaPx, 1.4826 * medianInPlace(this.absr, MESH_VERTEX_COUNT));
    const delta = o.huberK * sigma;
    const n = poseOnly ? 6 : NP;
    const JtJ = this.JtJ;
    const Jtr = this.Jtr;
    JtJ.fill(0);
    Jtr.fill(0);
    const R = this.R;
    const f = this.camera.focalPx;
    const B = this.basis;
    const n3 = VERTEX_COUNT * 3;
    const ju = this.ju;
    const jv = this.jv;
    for (let i = 0; i < MESH_VERTEX_COUNT; i++) {
      const x = this.local[3 * i]!;
      const y = this.local[3 * i + 1]!;
      const z = this.local[3 * i + 2]!;
      const qx = R[0]! * x + R[1]! * y + R[2]! * z;
      const qy = R[3]! * x + R[4]! * y + R[5]! * z;
      const qz = R[6]! * x + R[7]! * y + R[8]! * z;
      const X = qx + this.t[0]!;
      const Y = qy + this.t[1]!;
      const Z = qz + this.t[2]!;
      const ru = this.res[2 * i]!;
      const rv = this.res[2 * i + 1]!;
      const rn = Math.hypot(ru, rv);
      const w = rn <= delta ? 1 : delta / rn;
      // d(u,v)/d(X,Y,Z)
      const iz = 1 / Z;
      const a0 = -f * iz;
      const a2 = f * X * iz * iz;
      const b1 = f * iz;
      const b2 = -f * Y * iz * iz;
      // rotation increment: dp/dw = columns e_x x q, e_y x q, e_z x q
      ju[0] = a2 * qy; // (0, -qz, qy)
      jv[0] = b1 * -qz + b2 * qy;
      ju[1] = a0 * qz + a2 * -qx; // (qz, 0, -qx)
      jv[1] = b2 * -qx;
      ju[2] = a0 * -qy; // (-qy, qx, 0)
      jv[2] = b1 * qx;
      ju[3] = a0;
      jv[3] = 0;
      ju[4] = 0;
      jv[4] = b1;
      ju[5] = a2;
      jv[5] = b2;
      if (!poseOnly) {
        // A = d(u,v)/dp * R, then column k = A * B_k,i
        const u0 = a0 * R[0]! + a2 * R[6]!;
        const u1 = a0 * R[1]! + a2 * R[7]!;
        const u2 = a0 * R[2]! + a2 * R[8]!;
        const v0 = b1 * R[3]! + b2 * R[6]!;
        const v1 = b1 * R[4]! + b2 * R[7]!;
        const v2 = b1 * R[5]! + b2 * R[8]!;
        for (let k = 0; k < EXPRESSION_COUNT; k++) {
          const p = k * n3 + 3 * i;
          const dx = B[p]!;
          const dy = B[p + 1]!;
          const dz = B[p + 2]!;
          ju[IE + k] = u0 * dx + u1 * dy + u2 * dz;
          jv[IE + k] = v0 * dx + v1 * dy + v2 * dz;
        }
        const bl = this.actor.blinkLeft;
        const br = this.actor.blinkRight;
        ju[IB] = u0 * bl[3 * i]! + u1 * bl[3 * i + 1]! + u2 * bl[3 * i + 2]!;
        jv[IB] = v0 * bl[3 * i]! + v1 * bl[3 * i + 1]! + v2 * bl[3 * i + 2]!;
        ju[IB + 1] = u0 * br[3 * i]! + u1 * br[3 * i + 1]! + u2 * br[3 * i + 2]!;
        jv[IB + 1] = v0 * br[3 * i]! + v1 * br[3 * i + 1]! + v2 * br[3 * i + 2]!;
      }
      for (let r = 0; r < n; r++) {
        const jur = w * ju[r]!;
        const jvr = w * jv[r]!;
        if (jur === 0 && jvr === 0) continue;
        Jtr[r] = Jtr[r]! - (jur * ru + jvr * rv);
        const row = r * n;
        for (let c = r; c < n; c++) JtJ[row + c] = JtJ[row + c]! + jur * ju[c]! + jvr * jv[c]!;
      }
    }
    for (let r = 0; r < n; r++) for (let c = 0; c < r; c++) JtJ[r * n + c] = JtJ[c * n + r]!;
    // Priors, scale-free through s^2 (px per mm squared).
    const s = f / Math.abs(this.t[2]!);
    const s2 = s * s;
    if (!poseOnly) {
      for (let k = 0; k < EXPRESSION_COUNT; k++) {
        const d = IE + k;
        const lt = temporal ? o.temporalPrior * s2 : 0;
        const le = o.expressionPrior * s2;
        JtJ[d * n + d] = JtJ[d * n + d]! + le + lt;
        Jtr[d] = Jtr[d]! - le * this.e[k]! - lt * (this.e[k]! - this.ePrev[k]!);
      }
      for (let k = 0; k < 2; k++) {
        const d = IB + k;
        JtJ[d * n + d] = JtJ[d * n + d]! + o.blinkPrior * s2;
        Jtr[d] = Jtr[d]! - o.blinkPrior * s2 * this.b[k]!;
      }
    }
    // Levenberg damping keeps early, far-from-optimum steps short.
    for (let d = 0; d < n; d++) JtJ[d * n + d] = JtJ[d * n + d]! * 1.001 + 1e-6;
    if (!choleskySolve(JtJ, Jtr, n)) return rms;
    applyRotationUpdate(this.R, Jtr[0]!, Jtr[1]!, Jtr[2]!, this.Rtmp);
    this.t[0] = this.t[0]! + Jtr[3]!;
    this.t[1] = this.t[1]! + Jtr[4]!;
    this.t[2] = Math.min(this.t[2]! + Jtr[5]!, -50);
    if (!poseOnly) {
      for (let k = 0; k < EXPRESSION_COUNT; k++) this.e[k] = Math.max(0, Math.min(o.maxExpression, this.e[k]! + Jtr[IE + k]!));
      for (let k = 0; k < 2; k++) this.b[k] = Math.max(0, Math.min(1, this.b[k]! + Jtr[IB + k]!));
    }
    return rms;
  }

  /** Gauss-Newton on (yaw, pitch) of one eye against its 5 iris landmarks, numeric Jacobian. */
  private fitGaze(l: ArrayLike<number>, iris: readonly number[], centre: Float64Array, start: EyeGaze, out: EyeGaze): void {
    const g = this.gaze;
    g.yaw = start.yaw;
    g.pitch = start.pitch;
    const h = 0.25;
    for (let it = 0; it < 6; it++) {
      let a11 = 1e-3;
      let a12 = 0;
      let a22 = 1e-3;
      let g1 = 0;
      let g2 = 0;
      for (let k = 0; k < iris.length; k++) {
        const v = iris[k]!;
        this.irisPixel(iris, centre, g.yaw, g.pitch, k);
        const u = this.iris[0]!;
        const w = this.iris[1]!;
        const ru = u - l[3 * v]!;
        const rv = w - l[3 * v + 1]!;
        this.irisPixel(iris, centre, g.yaw + h, g.pitch, k);
        const du1 = (this.iris[0]! - u) / h;
        const dv1 = (this.iris[1]! - w) / h;
        this.irisPixel(iris, centre, g.yaw, g.pitch + h, k);
        const du2 = (this.iris[0]! - u) / h;
        const dv2 = (this.iris[1]! - w) / h;
        a11 += du1 * du1 + dv1 * dv1;
        a12 += du1 * du2 + dv1 * dv2;
        a22 += du2 * du2 + dv2 * dv2;
        g1 -= du1 * ru + dv1 * rv;
        g2 -= du2 * ru + dv2 * rv;
      }
      const det = a11 * a22 - a12 * a12;
      const dy = (a22 * g1 - a12 * g2) / det;
      const dp = (a11 * g2 - a12 * g1) / det;
      g.yaw = Math.max(-60, Math.min(60, g.yaw + dy));
      g.pitch = Math.max(-60, Math.min(60, g.pitch + dp));
      if (Math.abs(dy) + Math.abs(dp) < 1e-3) break;
    }
    out.yaw = g.yaw;
    out.pitch = g.pitch;
  }

  /** Projected pixel of iris point k for the given gaze into this.iris[0..1]. */
  private irisPixel(iris: readonly number[], centre: Float64Array, yaw: number, pitch: number, k: number): void {
    this.probe.yaw = yaw;
    this.probe.pitch = pitch;
    rotateIris(this.actor.neutral, iris, centre, this.probe, this.local);
    const v = iris[k]!;
    const x = this.local[3 * v]!;
    const y = this.local[3 * v + 1]!;
    const z = this.local[3 * v + 2]!;
    const R = this.R;
    const X = R[0]! * x + R[1]! * y + R[2]! * z + this.t[0]!;
    const Y = R[3]! * x + R[4]! * y + R[5]! * z + this.t[1]!;
    const Z = R[6]! * x + R[7]! * y + R[8]! * z + this.t[2]!;
    this.iris[0] = this.camera.width / 2 - (this.camera.focalPx * X) / Z;
    this.iris[1] = this.camera.height / 2 + (this.camera.focalPx * Y) / Z;
  }
}
