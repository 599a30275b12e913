import { neutralParams, type FaceParams } from '../../face/params.js';
import type { PixelCamera } from '../camera.js';
import type { FrameGeometry } from '../images/renderer.js';
import { posePoints } from '../pose.js';
import { computeVertexNormals } from '../shading/normals.js';
import type { RenderTopology } from '../render-topology.js';
import { uniformAlbedo } from './ellipsoidHead.js';

/** A centred camera looking at a head ~600 mm away, for synthetic renders. */
export function centredCamera(width: number, height: number, focal = 2.2 * width): PixelCamera {
  return { fx: focal, fy: focal, cx: width / 2, cy: height / 2, width, height };
}

/** Poses a synthetic head (no expression model) with FaceParams' pose, gaze, blink and light. */
export function syntheticFrame(topo: RenderTopology, overrides: Partial<FaceParams> = {}): FrameGeometry {
  const p = { ...neutralParams(), ...overrides };
  const n = topo.vertexCount;
  const positions = new Float32Array(3 * n);
  posePoints(p, topo.canonical, n, positions);
  const normals = new Float32Array(3 * n);
  computeVertexNormals(positions, topo.indices, n, topo.normalSign, normals);
  return {
    positions,
    normals,
    albedo: uniformAlbedo(n),
    sh: p.sh,
    gazeLeft: p.gazeLeft,
    gazeRight: p.gazeRight,
    blinkLeft: p.blinkLeft,
    blinkRight: p.blinkRight,
  };
}
