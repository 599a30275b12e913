/**
 * Random ground-truth parameters for tests and the synthetic tracking benchmark. Deterministic
 * given the seed (mulberry32), so failures reproduce.
 */
import { EXPRESSION_COUNT, neutralParams, type FaceParams } from '../params.js';

export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export function gaussian(rand: () => number): number {
  const u = Math.max(rand(), 1e-12);
  return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * rand());
}

export interface RandomParamsOptions {
  maxYaw: number;
  maxPitch: number;
  maxRoll: number;
  /** How many expression controls are active per frame, each with weight U(0.2, 0.9). */
  activeExpressions: number;
  maxGaze: number;
  blink: boolean;
  tzRange: [number, number];
}

export const DEFAULT_RANDOM_PARAMS: RandomParamsOptions = {
  maxYaw: 35,
  maxPitch: 20,
  maxRoll: 10,
  activeExpressions: 3,
  maxGaze: 20,
  blink: true,
  tzRange: [-650, -420],
};

export function randomParams(rand: () => number, opts: Partial<RandomParamsOptions> = {}): FaceParams {
  const o = { ...DEFAULT_RANDOM_PARAMS, ...opts };
  const p = neutralParams();
  const u = (a: number) => (2 * rand() - 1) * a;
  p.yaw = u(o.maxYaw);
  p.pitch = u(o.maxPitch);
  p.roll = u(o.maxRoll);
  p.tz = o.tzRange[0] + rand() * (o.tzRange[1] - o.tzRange[0]);
  p.tx = u(0.15) * -p.tz;
  p.ty = u(0.1) * -p.tz;
  for (let j = 0; j < o.activeExpressions; j++) p.expression[Math.floor(rand() * EXPRESSION_COUNT)] = 0.2 + 0.7 * rand();
  p.gazeLeft = { yaw: u(o.maxGaze), pitch: u(o.maxGaze * 0.6) };
  // Eyes converge on one target: the right eye's gaze is near the left's.
  p.gazeRight = { yaw: p.gazeLeft.yaw + u(2), pitch: p.gazeLeft.pitch + u(1) };
  if (o.blink && rand() < 0.3) {
    p.blinkLeft = rand();
    p.blinkRight = Math.min(1, Math.max(0, p.blinkLeft + u(0.1)));
  }
  return p;
}
