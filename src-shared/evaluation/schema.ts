import { z } from 'zod';
import { AbsPath, SnapshotName } from '../ipc/names.js';

/**
 * What `portrait evaluate` reports: the field's figures for a trained renderer on chosen
 * frames, each beside predictors that use no network, so a figure can never be read alone.
 */

/**
 * Pixel and identity figures of one predictor over the evaluated frames (means). null = not
 * measurable here (e.g. flicker of a single frame, sharpness against a flat real frame).
 */
export const ImageFigures = z.object({
  /** PSNR (dB) over the whole crop, RGB. */
  psnr: z.number().nullable(),
  /** PSNR (dB) inside the face silhouette of the frame's own conditioning render. */
  psnrMask: z.number().nullable(),
  /** SSIM, Wang et al. 2004 (luma, 11x11 Gaussian sigma 1.5), whole crop. */
  ssim: z.number().nullable(),
  /** The same SSIM map averaged over windows centred inside the face silhouette. */
  ssimMask: z.number().nullable(),
  /** Laplacian energy of the output over the real frame's, inside the mask (1 = as sharp as the footage). */
  sharpness: z.number().nullable(),
  /** Frame-to-frame change of the output over the real video's, inside the masks (1 = as steady as the footage). */
  flicker: z.number().nullable(),
  /** Mean cosine similarity of face embeddings, output vs real frame; null when no face was found in either. */
  identity: z.number().nullable(),
  /** Frames where the identity model found a face in both images. */
  identityFrames: z.number().int().nonnegative(),
});
export type ImageFigures = z.infer<typeof ImageFigures>;

/** Re-tracked output vs the parameters that conditioned it (the field's APD/AED/AKD). */
export const ControlFigures = z.object({
  /** Frames re-tracked, and how many of them the tracker found no face in. */
  frames: z.number().int().nonnegative(),
  lost: z.number().int().nonnegative(),
  /** Angle of the relative head rotation, degrees. */
  poseDegMedian: z.number().nullable(),
  poseDegMean: z.number().nullable(),
  /** Mean over both eyes of the angle between gaze directions, degrees. */
  gazeDegMedian: z.number().nullable(),
  gazeDegMean: z.number().nullable(),
  /** Fraction of eyes whose open/closed state (blink > 0.5) agrees. */
  blinkAccuracy: z.number().nullable(),
  /** Mean absolute difference of the expression coefficients. */
  expressionL1: z.number().nullable(),
  /** Mean 2D distance of the projected meshes over the inter-ocular distance. */
  landmarkIod: z.number().nullable(),
});
export type ControlFigures = z.infer<typeof ControlFigures>;

export const EDIT_IDS = ['yaw+15', 'yaw-15', 'pitch+10', 'pitch-10', 'gazeLeft15', 'gazeRight15', 'eyesClosed', 'jawOpen0.7', 'smile0.7'] as const;
export const EditId = z.enum(EDIT_IDS);
export type EditId = z.infer<typeof EditId>;

/** Measured change of one edit (edited output minus unedited output) over the edit frames, and the frames the re-tracker lost. */
const EditMeasure = z.object({
  measuredMedian: z.number().nullable(),
  measuredMin: z.number().nullable(),
  measuredMax: z.number().nullable(),
  lost: z.number().int().nonnegative(),
});
export type EditMeasure = z.infer<typeof EditMeasure>;

/** One requested edit, measured by re-tracking the output with and without it. */
export const EditFigures = EditMeasure.extend({
  id: EditId,
  label: z.string(),
  /** What is measured and in which unit (deg, coefficient, fraction closed). */
  quantity: z.string(),
  unit: z.string(),
  requested: z.number(),
  frames: z.number().int().nonnegative(),
  /** Frames where the edit asks for (almost) no change, e.g. eyes already closed: not measured. */
  skipped: z.number().int().nonnegative(),
  /**
   * The same edit drawn by the local textured model (no network: the baseline of that name,
   * with the edited parameters), re-tracked the same way: whether the drawing shows the edit
   * at all, beside what the network makes of it. Absent in reports made before it was measured.
   */
  localTexturedModel: EditMeasure.optional(),
});
export type EditFigures = z.infer<typeof EditFigures>;

export const FrameSelection = z.union([
  z.literal('held-out'),
  z.object({ start: z.number().int().nonnegative(), end: z.number().int().nonnegative() }),
]);
export type FrameSelection = z.infer<typeof FrameSelection>;

export const EvaluationReport = z.object({
  version: z.literal(1),
  createdAt: z.string(),
  checkpoint: z.object({
    /** 'latest' = the newest checkpoint of the run, or a named snapshot. */
    snapshot: z.string().nullable(),
    step: z.number().int().nonnegative(),
    profile: z.string(),
    resolution: z.number().int().positive(),
  }),
  frames: z.object({
    selection: FrameSelection,
    /** Frames with a tracked face in the selection, evaluated for pixels. */
    evaluated: z.number().int().nonnegative(),
    /** Frames of the selection without a usable face (not evaluated). */
    skipped: z.number().int().nonnegative(),
    /** Frames the identity and control figures used (every k-th evaluated frame). */
    controlFrames: z.number().int().nonnegative(),
    /** True when some evaluated frames were also training frames (not held out). */
    includesTrainingFrames: z.boolean(),
  }),
  model: ImageFigures,
  baselines: z.object({
    /** The mean of all training crops: ignores the conditioning entirely. */
    meanCrop: ImageFigures,
    /** The training frame whose tracked parameters are nearest to the frame's. */
    nearestParams: ImageFigures,
    /** Oracle: the training frame closest to the real frame in pixels (needs the answer; an upper bound for retrieval). */
    oracleRetrieval: ImageFigures,
    /**
     * The face model drawn with the actor's texture unwrapped from the training crops, over the
     * mean crop (the unwrapped-texture reference alone, no network). Absent in reports made
     * before it existed.
     */
    texturedModel: ImageFigures.optional(),
    /**
     * The same drawing with the local texture: the training frames nearest to the frame's
     * parameters blended over the average (the local-texture reference alone, no network).
     * Absent in reports made before it existed.
     */
    localTexturedModel: ImageFigures.optional(),
  }),
  control: ControlFigures.nullable(),
  /** The tracker's own floor: the real frames re-tracked vs their tracked parameters. */
  controlRealReference: ControlFigures.nullable(),
  /** Real frame vs the real frame one second away: what "same person" scores. */
  identityRealReference: z.number().nullable(),
  edits: z.array(EditFigures).nullable(),
  /** PNG data URL: a few evenly spaced evaluated frames, one per row: conditioning (colour) | network | textured face model | nearest-params baseline | real (reports before the textured model: without it). */
  strip: z.string().nullable(),
  seconds: z.number().nonnegative(),
  /** Why parts were left out (no face found, options), in words. */
  notes: z.array(z.string()),
});
export type EvaluationReport = z.infer<typeof EvaluationReport>;

export const EvaluationRequest = z.object({
  dir: AbsPath,
  frames: FrameSelection.optional(),
  /** A named snapshot; default the latest checkpoint. */
  snapshot: SnapshotName.optional(),
  /** Re-tracking (control and edits) and identity cost most of the time; off = pixels only (curves). */
  control: z.boolean().optional(),
  identity: z.boolean().optional(),
  edits: z.boolean().optional(),
  /** At most this many frames for identity and control (evenly spaced); default 60. */
  maxControlFrames: z.number().int().positive().max(10_000).optional(),
  /** Frames per edit; default 6. */
  editFrames: z.number().int().positive().max(200).optional(),
  /** Keep the report in the project (checkpoints/evaluations); default true. */
  save: z.boolean().optional(),
});
export type EvaluationRequest = z.infer<typeof EvaluationRequest>;
