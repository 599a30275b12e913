import { describe, expect, it } from 'vitest';
import { EXPRESSION_COUNT, neutralParams } from '../face/params.js';
import { RECORD_FLOATS, STATUS_FACE, STATUS_NO_FACE, readRecord, summarizeTrack, writeRecord } from './record.js';

describe('track records', () => {
  it('round-trips every parameter', () => {
    const p = neutralParams();
    p.yaw = 12.5;
    p.pitch = -3;
    p.roll = 1.25;
    p.tx = 4;
    p.ty = -5;
    p.tz = -610;
    p.gazeLeft = { yaw: 7, pitch: -2 };
    p.gazeRight = { yaw: 6, pitch: -1 };
    p.blinkLeft = 0.75;
    p.blinkRight = 0.5;
    for (let k = 0; k < EXPRESSION_COUNT; k++) p.expression[k] = k / 64;
    p.sh[5] = 0.25;
    const track = new Float32Array(RECORD_FLOATS * 3);
    writeRecord(track, 1, p, STATUS_FACE, 0.875);
    const q = neutralParams();
    expect(readRecord(track, 1, q)).toBe(STATUS_FACE);
    expect(q).toEqual(p);
    expect(track[RECORD_FLOATS + 1]).toBe(0.875);
  });

  it('summarises coverage', () => {
    const track = new Float32Array(RECORD_FLOATS * 4);
    writeRecord(track, 0, neutralParams(), STATUS_FACE, 1);
    writeRecord(track, 1, neutralParams(), STATUS_NO_FACE, 0);
    writeRecord(track, 2, neutralParams(), STATUS_FACE, 1);
    expect(summarizeTrack(track)).toEqual({ frames: 4, framesTracked: 3, framesWithFace: 2 });
  });
});
