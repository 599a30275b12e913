import { describe, expect, it } from 'vitest';
import { copyParams, neutralParams, type FaceParams } from './params.js';

function sample(): FaceParams {
  const p = neutralParams();
  Object.assign(p, { yaw: 12, pitch: -4, roll: 2.5, tx: 3, ty: -7, tz: -512, blinkLeft: 0.3, blinkRight: 0.9 });
  p.expression.forEach((_, i) => (p.expression[i] = (i % 7) / 7));
  p.sh.forEach((_, i) => (p.sh[i] = Math.sin(i)));
  p.gazeLeft = { yaw: 5, pitch: -2 };
  p.gazeRight = { yaw: 4, pitch: -1 };
  return p;
}

describe('copyParams', () => {
  it('copies every field, into new parameters or into given ones, sharing nothing', () => {
    const p = sample();
    const into = neutralParams();
    const arrays = [into.expression, into.sh];
    for (const q of [copyParams(p), copyParams(p, into)]) {
      expect(q).toEqual(p);
      // Nothing shared: changing the source leaves the copy as it was.
      const before = structuredClone(q);
      p.expression[0] = 99;
      p.sh[0] = 99;
      p.gazeLeft.yaw = 99;
      p.yaw = 99;
      expect(q).toEqual(before);
      Object.assign(p, sample());
      p.expression.set(sample().expression);
      p.sh.set(sample().sh);
    }
    // The given parameters keep their own arrays (the tracker reuses them every frame).
    expect([into.expression, into.sh]).toEqual(arrays);
    expect(into.expression).toBe(arrays[0]);
    expect(into.sh).toBe(arrays[1]);
  });

  it('resets to neutral when given neutral parameters', () => {
    const p = sample();
    expect(copyParams(neutralParams(), p)).toEqual(neutralParams());
  });
});
