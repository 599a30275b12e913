export { detectLandmarks, LandmarkDetector } from './detector.js';
export { trackLandmarks, type TrackOptions, type TrackProgress } from './track.js';
export * from './types.js';
