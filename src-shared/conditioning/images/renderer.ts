import type { EyeGaze } from '../../face/params.js';
import { projectPoints, type PixelCamera } from '../camera.js';
import { emptyEyeState, eyeClass, eyeStatesForFrame, type EyeState } from '../gaze/eyeShape.js';
import { rasterizeTriangles } from '../raster/rasterize.js';
import { VisibilityBuffer } from '../raster/visibility.js';
import { computeVertexNormals } from '../shading/normals.js';
import { shadeVerticesSigned } from '../shading/sh.js';
import type { RenderTopology } from '../render-topology.js';

/** Per pixel: color rgb, correspondence rgb, gaze rgb, each in [-1, 1] (background -1). */
export const CHANNELS_PER_FRAME = 9;
export const IMAGE_KINDS = ['color', 'correspondence', 'gaze'] as const;
export type ImageKind = (typeof IMAGE_KINDS)[number];

/** One frame's posed geometry and appearance, in camera space. */
export interface FrameGeometry {
  /** Camera-space positions, 3 per vertex (camera looks down -z). */
  positions: Float32Array;
  /** Camera-space unit normals; computed from positions when absent. */
  normals?: Float32Array;
  /** Per-vertex albedo in [0, 1], 3 per vertex. */
  albedo: Float32Array;
  /** 27 SH coefficients (see shading/sh.ts). */
  sh: Float32Array;
  gazeLeft: EyeGaze;
  gazeRight: EyeGaze;
  blinkLeft: number;
  blinkRight: number;
}

/**
 * Renders the three conditioning images of a frame into one HWC float buffer
 * (CHANNELS_PER_FRAME per pixel). All scratch memory is owned and reused: rendering a frame
 * allocates nothing.
 */
export class ConditioningRenderer {
  readonly width: number;
  readonly height: number;
  readonly topology: RenderTopology;
  readonly vis: VisibilityBuffer;
  private readonly sx: Float32Array;
  private readonly sy: Float32Array;
  private readonly invW: Float32Array;
  private readonly normals: Float32Array;
  private readonly shaded: Float32Array;
  private readonly eyeState: [EyeState, EyeState] = [emptyEyeState(), emptyEyeState()];

  constructor(topology: RenderTopology, width = 256, height = 256) {
    this.topology = topology;
    this.width = width;
    this.height = height;
    this.vis = new VisibilityBuffer(width, height);
    const n = topology.vertexCount;
    this.sx = new Float32Array(n);
    this.sy = new Float32Array(n);
    this.invW = new Float32Array(n);
    this.normals = new Float32Array(3 * n);
    this.shaded = new Float32Array(3 * n);
  }

  frameSize(): number {
    return this.width * this.height * CHANNELS_PER_FRAME;
  }

  /** Renders into out (allocated when omitted) and returns it. cam must be width x height. */
  render(geom: FrameGeometry, cam: PixelCamera, out: Float32Array = new Float32Array(this.frameSize())): Float32Array {
    if (cam.width !== this.width || cam.height !== this.height) {
      throw new RangeError(`camera is ${cam.width}x${cam.height}, renderer ${this.width}x${this.height}`);
    }
    if (out.length < this.frameSize()) throw new RangeError('output buffer too small');
    const topo = this.topology;
    const n = topo.vertexCount;
    if (geom.positions.length < 3 * n || geom.albedo.length < 3 * n) throw new RangeError('geometry has fewer vertices than the topology');

    projectPoints(cam, geom.positions, n, this.sx, this.sy, this.invW);
    this.vis.clear();
    rasterizeTriangles(this.vis, this.sx, this.sy, this.invW, topo.indices, topo.triCount);

    let normals = geom.normals;
    if (!normals) {
      computeVertexNormals(geom.positions, topo.indices, n, topo.normalSign, this.normals);
      normals = this.normals;
    }
    shadeVerticesSigned(normals, geom.albedo, geom.sh, n, this.shaded);

    eyeStatesForFrame(topo.eyes, topo.indices, geom, this.eyeState);
    this.resolve(out);
    return out;
  }

  /** One pass over the pixels shading all three images from the visibility buffer. */
  private resolve(out: Float32Array): void {
    const { tri, b1, b2 } = this.vis;
    const idx = this.topology.indices;
    const col = this.shaded;
    const corr = this.topology.corrColor;
    const triEye = this.topology.eyes.triEye;
    const local = this.topology.eyes.local;
    const np = this.width * this.height;
    for (let p = 0, o = 0; p < np; p++, o += CHANNELS_PER_FRAME) {
      const t = tri[p]!;
      if (t < 0) {
        out[o] = -1; out[o + 1] = -1; out[o + 2] = -1;
        out[o + 3] = -1; out[o + 4] = -1; out[o + 5] = -1;
        out[o + 6] = -1; out[o + 7] = -1; out[o + 8] = -1;
        continue;
      }
      const w1 = b1[p]!, w2 = b2[p]!, w0 = 1 - w1 - w2;
      const v0 = idx[3 * t]!, v1 = idx[3 * t + 1]!, v2 = idx[3 * t + 2]!;
      const a0 = 3 * v0, a1 = 3 * v1, a2 = 3 * v2;
      out[o] = w0 * col[a0]! + w1 * col[a1]! + w2 * col[a2]!;
      out[o + 1] = w0 * col[a0 + 1]! + w1 * col[a1 + 1]! + w2 * col[a2 + 1]!;
      out[o + 2] = w0 * col[a0 + 2]! + w1 * col[a1 + 2]! + w2 * col[a2 + 2]!;
      out[o + 3] = w0 * corr[a0]! + w1 * corr[a1]! + w2 * corr[a2]!;
      out[o + 4] = w0 * corr[a0 + 1]! + w1 * corr[a1 + 1]! + w2 * corr[a2 + 1]!;
      out[o + 5] = w0 * corr[a0 + 2]! + w1 * corr[a1 + 2]! + w2 * corr[a2 + 2]!;
      const e = triEye[t]!;
      let cls = 0;
      if (e >= 0) {
        const x = w0 * local[2 * v0]! + w1 * local[2 * v1]! + w2 * local[2 * v2]!;
        const y = w0 * local[2 * v0 + 1]! + w1 * local[2 * v1 + 1]! + w2 * local[2 * v2 + 1]!;
        cls = eyeClass(this.eyeState[e]!, x, y);
      }
      // black / white / blue
      out[o + 6] = cls === 1 ? 1 : -1;
      out[o + 7] = cls === 1 ? 1 : -1;
      out[o + 8] = cls === 0 ? -1 : 1;
    }
  }
}

/** One of the three images of a rendered frame as 8-bit RGB (for PNG and previews). */
export function frameImageToRgb8(frame: Float32Array, width: number, height: number, kind: ImageKind, out: Uint8Array = new Uint8Array(width * height * 3)): Uint8Array {
  const off = IMAGE_KINDS.indexOf(kind) * 3;
  const n = width * height;
  for (let p = 0; p < n; p++) {
    for (let c = 0; c < 3; c++) {
      const v = (frame[p * CHANNELS_PER_FRAME + off + c]! + 1) * 127.5;
      out[3 * p + c] = v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);
    }
  }
  return out;
}
