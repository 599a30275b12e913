import type { CameraIntrinsics } from '../params.js';

/**
 * Pinhole projection, camera at the origin looking down -z, y up (OpenGL / three.js), image
 * v down, principal point at the frame centre: u = W/2 + f X / -Z, v = H/2 - f Y / -Z.
 * Pixel coordinates are continuous with pixel i covering [i, i+1), as the detector reports.
 */
export function project(camera: CameraIntrinsics, vertices: ArrayLike<number>, out2d: Float32Array | Float64Array, count = vertices.length / 3): void {
  const f = camera.focalPx;
  const cx = camera.width / 2;
  const cy = camera.height / 2;
  for (let i = 0; i < count; i++) {
    const x = vertices[3 * i]!;
    const y = vertices[3 * i + 1]!;
    const z = vertices[3 * i + 2]!;
    const inv = -1 / z;
    out2d[2 * i] = cx + f * x * inv;
    out2d[2 * i + 1] = cy - f * y * inv;
  }
}

/** The focal length used before any refinement: a ~45 degree horizontal field of view. */
export function defaultFocal(width: number, height: number): number {
  return 1.2 * Math.max(width, height);
}
