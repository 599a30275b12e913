import {
  CANONICAL_POSITIONS,
  EYEBALL_RADIUS_MM,
  LEFT_EYE,
  RIGHT_EYE,
  TRIANGLES,
  type ActorModel,
  type FaceGeometry,
  type FaceParams,
  type EyeLandmarks,
} from '../face/index.js';
import type { FrameGeometry } from './images/renderer.js';
import { trianglesInsideContour } from './gaze/eyeRig.js';
import { buildTopology, type RenderTopology } from './render-topology.js';

let cached: RenderTopology | null = null;

/**
 * The render topology of the project's face model (MediaPipe mesh): its triangles, its
 * canonical mesh for the correspondence code, and its eye openings (the mesh's own
 * triangles spanning each lid contour) with the iris centre as the rest pupil. Its lids close
 * with blink on their own (meshLids).
 */
export function faceRenderTopology(): RenderTopology {
  if (cached) return cached;
  const indices = Uint32Array.from(TRIANGLES);
  const eye = (e: EyeLandmarks): number[] => {
    const tris = trianglesInsideContour(indices, [...e.upper, ...e.lower]);
    if (!tris) throw new Error('face topology has no triangles inside an eye contour');
    return tris;
  };
  cached = buildTopology({
    indices,
    canonical: CANONICAL_POSITIONS,
    eyeTriangles: [eye(LEFT_EYE), eye(RIGHT_EYE)],
    irisVertices: [LEFT_EYE.iris[0]!, RIGHT_EYE.iris[0]!],
    eyeballRadius: EYEBALL_RADIUS_MM,
    // ActorModel's blink fields move the upper lids onto the lower lids: the mesh closes the
    // eyes itself and the analytic lid must not close them a second time.
    meshLids: true,
  });
  return cached;
}

/** Adapts the face model's evaluated geometry (evalFace) and the frame's parameters. */
export function frameGeometryFromFace(actor: ActorModel, geom: FaceGeometry, params: FaceParams): FrameGeometry {
  return {
    positions: geom.positions,
    normals: geom.normals,
    albedo: actor.albedo,
    sh: params.sh,
    gazeLeft: params.gazeLeft,
    gazeRight: params.gazeRight,
    blinkLeft: params.blinkLeft,
    blinkRight: params.blinkRight,
  };
}
