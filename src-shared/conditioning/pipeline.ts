import { createFaceGeometry, evalFace, MESH_VERTEX_COUNT, project, type ActorModel, type CameraIntrinsics, type FaceGeometry, type FaceParams } from '../face/index.js';
import { cropCamera, type CropBox } from './camera.js';
import { ConditioningRenderer } from './images/renderer.js';
import { headBox, type FramingOptions } from './crop/headBox.js';
import { smoothCrops, type SmoothOptions } from './crop/smoothCrops.js';
import { faceRenderTopology, frameGeometryFromFace } from './faceMesh.js';

/**
 * The face model wired to the conditioning renderer for one actor and video: track ->
 * smoothed crops, and (params, crop) -> the frame's 9-channel conditioning image.
 */
export class FaceConditioning {
  readonly actor: ActorModel;
  readonly intrinsics: CameraIntrinsics;
  readonly renderer: ConditioningRenderer;
  private readonly geom: FaceGeometry = createFaceGeometry();
  private readonly uv = new Float32Array(2 * MESH_VERTEX_COUNT);
  private readonly ux = new Float32Array(MESH_VERTEX_COUNT);
  private readonly uy = new Float32Array(MESH_VERTEX_COUNT);

  constructor(actor: ActorModel, intrinsics: CameraIntrinsics, size = 256) {
    this.actor = actor;
    this.intrinsics = intrinsics;
    this.renderer = new ConditioningRenderer(faceRenderTopology(), size, size);
  }

  /** Unsmoothed crop of one frame from the projected face-mesh vertices (full-frame pixels). */
  frameCrop(params: FaceParams, framing?: FramingOptions): CropBox | null {
    evalFace(this.actor, params, this.geom);
    project(this.intrinsics, this.geom.positions, this.uv, MESH_VERTEX_COUNT);
    for (let i = 0; i < MESH_VERTEX_COUNT; i++) {
      this.ux[i] = this.uv[2 * i]!;
      this.uy[i] = this.uv[2 * i + 1]!;
    }
    return headBox(this.ux, this.uy, MESH_VERTEX_COUNT, framing);
  }

  /** Crops for a whole track, smoothed offline (zero phase) so the framing does not jitter. */
  trackCrops(track: ReadonlyArray<FaceParams | null>, framing?: FramingOptions, smoothing?: SmoothOptions): CropBox[] {
    return smoothCrops(track.map((p) => (p ? this.frameCrop(p, framing) : null)), smoothing);
  }

  render(params: FaceParams, crop: CropBox, out?: Float32Array): Float32Array {
    evalFace(this.actor, params, this.geom);
    const r = this.renderer;
    return r.render(frameGeometryFromFace(this.actor, this.geom, params), cropCamera(this.intrinsics, crop, r.width, r.height), out);
  }
}
