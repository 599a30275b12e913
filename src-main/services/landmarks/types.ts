/** MediaPipe face mesh: 468 surface points, then 5 per iris (centre first). */
export const MESH_POINTS = 468;
export const IRIS_POINTS = 10;
export const LANDMARK_COUNT = MESH_POINTS + IRIS_POINTS;
/** Index of each iris centre in the 478-point layout (human's order: image-right eye first). */
export const IRIS_CENTERS = [468, 473] as const;

export interface FaceBox {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FaceLandmarks {
  /** 478 x (x, y, z): x, y in pixels of the frame, z relative depth (same scale as x). */
  points: Float32Array;
  /** The face box in pixels (human's box: square, enlarged around the mesh). */
  box: FaceBox;
  /** Face detector confidence (0..1); carried over on frames tracked from the previous box. */
  score: number;
  /** Mesh confidence (0..1). */
  meshScore: number;
  /** Faces seen in this frame; > 1 means the largest one was picked. */
  faceCount: number;
}

/** One tracked frame. `landmarks` is null when no face was found. */
export interface TrackedFrame {
  frame: number;
  landmarks: FaceLandmarks | null;
}
