export { decodeFrames, readFrame, videoHeader, type DecodeOptions, type VideoFrame } from './decode.js';
export type { StreamHeader } from './header.js';
export type { RawFrame } from './ppm.js';
