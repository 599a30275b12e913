import type { CameraIntrinsics } from '../face/params.js';

/**
 * Pinhole camera in pixel units of some image grid (the full frame or a crop of it).
 * Camera space: x right, y up, looking down -z (as FaceParams); image: x right, y down,
 * pixel (i, j) covers [i, i+1) x [j, j+1) so its centre is at (i + 0.5, j + 0.5).
 */
export interface PixelCamera {
  fx: number;
  fy: number;
  cx: number;
  cy: number;
  width: number;
  height: number;
}

/** Square crop of the full frame, in full-frame pixels: top-left corner and side. */
export interface CropBox {
  x: number;
  y: number;
  size: number;
}

export function fullFrameCamera(intr: CameraIntrinsics): PixelCamera {
  return { fx: intr.focalPx, fy: intr.focalPx, cx: intr.width / 2, cy: intr.height / 2, width: intr.width, height: intr.height };
}

/**
 * The full-frame camera seen through a crop resampled to width x height: an affine map of
 * the image plane, so rendering with it is exactly a crop of the full-frame render.
 */
export function cropCamera(intr: CameraIntrinsics, box: CropBox, width: number, height: number): PixelCamera {
  const sx = width / box.size;
  const sy = height / box.size;
  return {
    fx: intr.focalPx * sx,
    fy: intr.focalPx * sy,
    cx: (intr.width / 2 - box.x) * sx,
    cy: (intr.height / 2 - box.y) * sy,
    width,
    height,
  };
}

/**
 * Projects camera-space points (xyz interleaved) to pixel coordinates and 1/w, where
 * w = -z is the view depth. Points at or behind the camera get invW = 0, which the
 * rasterizer treats as clipped.
 */
export function projectPoints(
  cam: PixelCamera,
  pos: Float32Array,
  count: number,
  outX: Float32Array,
  outY: Float32Array,
  outInvW: Float32Array,
): void {
  const { fx, fy, cx, cy } = cam;
  for (let i = 0; i < count; i++) {
    const x = pos[3 * i]!;
    const y = pos[3 * i + 1]!;
    const w = -pos[3 * i + 2]!;
    if (w <= 1e-6) {
      outX[i] = 0;
      outY[i] = 0;
      outInvW[i] = 0;
      continue;
    }
    const iw = 1 / w;
    outX[i] = cx + fx * x * iw;
    outY[i] = cy - fy * y * iw;
    outInvW[i] = iw;
  }
}
