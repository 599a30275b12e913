import { describe, expect, it } from 'vitest';
import { EXPRESSION_CONTROLS, SH_COEFFS, neutralParams } from '../face/params.js';
import { RECORD_CHANNELS, RECORD_FLOATS, REC_BLINK, REC_EXPRESSION, REC_GAZE, REC_POSE, REC_SH, readRecord, writeRecord } from './record.js';

describe('track record', () => {
  it('keeps the layout and header names every existing track file was written with', () => {
    // Frozen from before the layout was derived from the channel table: track files on disk
    // carry these names, so the derivation must reproduce them exactly.
    expect(RECORD_CHANNELS).toEqual([
      'status', 'confidence',
      'head.yaw', 'head.pitch', 'head.roll', 'head.tx', 'head.ty', 'head.tz',
      'gazeLeft.yaw', 'gazeLeft.pitch', 'gazeRight.yaw', 'gazeRight.pitch',
      'blink.left', 'blink.right',
      ...EXPRESSION_CONTROLS.map((e) => `expression.${e}`),
      ...Array.from({ length: SH_COEFFS }, (_, i) => `sh.${i}`),
    ]);
    expect([REC_POSE, REC_GAZE, REC_BLINK, REC_EXPRESSION]).toEqual([2, 8, 12, 14]);
    expect(REC_SH).toBe(14 + EXPRESSION_CONTROLS.length);
    expect(RECORD_FLOATS).toBe(RECORD_CHANNELS.length);
  });

  it('writes every parameter where its header name says and reads it back', () => {
    const p = neutralParams();
    p.yaw = 11; p.pitch = -4; p.roll = 2; p.tx = 5; p.ty = -6; p.tz = -700;
    p.gazeLeft.yaw = 3; p.gazeLeft.pitch = -1; p.gazeRight.yaw = 2.5; p.gazeRight.pitch = -1.5;
    p.blinkLeft = 0.25; p.blinkRight = 0.75;
    p.expression.forEach((_, k) => (p.expression[k] = (k + 1) / 100));
    p.sh.forEach((_, k) => (p.sh[k] = k / 10));
    const buf = new Float32Array(3 * RECORD_FLOATS);
    writeRecord(buf, 1, p, 1, 0.9);
    const at = (name: string) => buf[RECORD_FLOATS + RECORD_CHANNELS.indexOf(name)]!;
    expect(at('status')).toBe(1);
    expect(at('confidence')).toBeCloseTo(0.9, 6);
    expect([at('head.yaw'), at('head.tz'), at('gazeRight.pitch'), at('blink.right')]).toEqual([11, -700, -1.5, 0.75]);
    expect(at(`expression.${EXPRESSION_CONTROLS[3]}`)).toBeCloseTo(0.04, 6);
    expect(at('sh.2')).toBeCloseTo(0.2, 6);
    // Neighbouring records are untouched.
    expect(buf.subarray(0, RECORD_FLOATS).every((v) => v === 0)).toBe(true);
    expect(buf.subarray(2 * RECORD_FLOATS).every((v) => v === 0)).toBe(true);
    const q = neutralParams();
    expect(readRecord(buf, 1, q)).toBe(1);
    expect(q.yaw).toBe(11);
    expect(q.gazeLeft.pitch).toBe(-1);
    expect(q.blinkLeft).toBe(0.25);
    expect(Array.from(q.expression)).toEqual(Array.from(Float32Array.from(p.expression)));
    expect(Array.from(q.sh)).toEqual(Array.from(Float32Array.from(p.sh)));
  });
});
