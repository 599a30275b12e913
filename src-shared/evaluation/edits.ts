import { EXPRESSION_CONTROLS, type FaceParams } from '../face/params.js';
import type { EditId } from './schema.js';

/**
 * The fixed edit set of the evaluation: each edit changes the parameters of a frame (and of
 * its whole conditioning window, as an edit layer would), and names the quantity that a
 * re-track of the output must show changed by `requested`.
 */
export interface EditSpec {
  id: EditId;
  label: string;
  quantity: string;
  unit: string;
  requested: number;
  apply(p: FaceParams): void;
  /** The measured quantity of a (re-tracked) parameter set. */
  measure(p: FaceParams): number;
}

const JAW = EXPRESSION_CONTROLS.indexOf('jawOpen');
const SMILE_L = EXPRESSION_CONTROLS.indexOf('mouthSmileLeft');
const SMILE_R = EXPRESSION_CONTROLS.indexOf('mouthSmileRight');
const gazeYaw = (p: FaceParams) => (p.gazeLeft.yaw + p.gazeRight.yaw) / 2;
const closed = (p: FaceParams) => ((p.blinkLeft > 0.5 ? 1 : 0) + (p.blinkRight > 0.5 ? 1 : 0)) / 2;
const smile = (p: FaceParams) => (p.expression[SMILE_L]! + p.expression[SMILE_R]!) / 2;

export const EDITS: readonly EditSpec[] = [
  { id: 'yaw+15', label: 'Head yaw +15 deg', quantity: 'head yaw', unit: 'deg', requested: 15, apply: (p) => void (p.yaw += 15), measure: (p) => p.yaw },
  { id: 'yaw-15', label: 'Head yaw -15 deg', quantity: 'head yaw', unit: 'deg', requested: -15, apply: (p) => void (p.yaw -= 15), measure: (p) => p.yaw },
  { id: 'pitch+10', label: 'Head pitch +10 deg', quantity: 'head pitch', unit: 'deg', requested: 10, apply: (p) => void (p.pitch += 10), measure: (p) => p.pitch },
  { id: 'pitch-10', label: 'Head pitch -10 deg', quantity: 'head pitch', unit: 'deg', requested: -10, apply: (p) => void (p.pitch -= 10), measure: (p) => p.pitch },
  {
    id: 'gazeLeft15', label: 'Both eyes look 15 deg to the subject\'s left', quantity: 'gaze yaw (mean of both eyes)', unit: 'deg', requested: 15,
    apply: (p) => { p.gazeLeft.yaw += 15; p.gazeRight.yaw += 15; }, measure: gazeYaw,
  },
  {
    id: 'gazeRight15', label: 'Both eyes look 15 deg to the subject\'s right', quantity: 'gaze yaw (mean of both eyes)', unit: 'deg', requested: -15,
    apply: (p) => { p.gazeLeft.yaw -= 15; p.gazeRight.yaw -= 15; }, measure: gazeYaw,
  },
  {
    // Requested as a change of the closed fraction: from open (0) to both closed (1).
    id: 'eyesClosed', label: 'Both eyes closed', quantity: 'fraction of eyes re-tracked closed (blink > 0.5)', unit: 'fraction', requested: 1,
    apply: (p) => { p.blinkLeft = 1; p.blinkRight = 1; }, measure: closed,
  },
  { id: 'jawOpen0.7', label: 'jawOpen set to 0.7', quantity: 'jawOpen coefficient', unit: 'coefficient', requested: 0.7, apply: (p) => void (p.expression[JAW] = 0.7), measure: (p) => p.expression[JAW]! },
  {
    id: 'smile0.7', label: 'Smile (mouthSmileLeft/Right 0.7)', quantity: 'mean mouthSmileLeft/Right', unit: 'coefficient', requested: 0.7,
    apply: (p) => { p.expression[SMILE_L] = 0.7; p.expression[SMILE_R] = 0.7; }, measure: smile,
  },
];

/**
 * The change an edit asked for on one frame: for absolute settings (blink, jaw, smile) it is
 * the target value minus the frame's own value, so a frame already smiling asks for less.
 */
export function requestedChange(spec: EditSpec, base: FaceParams, edited: FaceParams): number {
  return spec.measure(edited) - spec.measure(base);
}
