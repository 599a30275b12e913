import { describe, expect, it } from 'vitest';
import { TrackingDataAssembler, TrackingDataWire, decodeTrackingData, encodeTrackingData, encodeTrackingRange, fromBase64, toBase64 } from './tracking-wire.js';

describe('tracking.data on the wire', () => {
  const n = 5;
  const arrays = {
    role: 'target' as const,
    fps: 24,
    frameCount: n,
    status: [1, 1, 2, 0, 1],
    confidence: Float32Array.from([0.9, 0.8, 0.1, 0, 0.7]),
    channels: { 'head.yaw': Float32Array.from([1.5, -2.25, 0.1, 0.2, 3]), 'mouth.open': Float32Array.from([0, 0.5, 0.5, 0.5, 1]) },
    sh: Float32Array.from({ length: n * 27 }, (_, i) => i / 7),
    crops: Array.from({ length: n }, (_, i) => ({ x: 10.123456789 + i, y: 20.987654321, size: 150.5 + i / 3 })),
    actor: { focalPx: 500, width: 360, height: 288, neutral: [1, 2, 3], albedo: [0.5, 0.5, 0.5] },
  };

  it('round-trips to the arrays the studio always had (float32 curves, crops exact), and passes the contract', () => {
    const wire = encodeTrackingData(arrays);
    expect(TrackingDataWire.parse(wire)).toEqual(wire);
    const d = decodeTrackingData(JSON.parse(JSON.stringify(wire)));
    expect(d.status).toEqual(arrays.status);
    expect(d.confidence).toEqual(Array.from(arrays.confidence));
    expect(d.channels).toEqual({ 'head.yaw': Array.from(arrays.channels['head.yaw']), 'mouth.open': Array.from(arrays.channels['mouth.open']) });
    expect(d.sh).toEqual(Array.from(arrays.sh));
    expect(d.crops).toEqual(arrays.crops);
    expect(d.actor).toEqual(arrays.actor);
  });

  it('keeps crops null until tracking finished', () => {
    expect(decodeTrackingData(encodeTrackingData({ ...arrays, crops: null })).crops).toBeNull();
  });

  it('refuses a reply whose arrays do not match its frame count', () => {
    const wire = encodeTrackingData(arrays);
    expect(() => decodeTrackingData({ ...wire, frameCount: 6 })).toThrow(/inconsistent/);
  });

  it('base64 copies come back aligned for any typed array', () => {
    const f = Float64Array.from([Math.PI, -1e-300]);
    expect(Array.from(new Float64Array(fromBase64(toBase64(f)).buffer))).toEqual(Array.from(f));
  });

  /** Frames [from, from + count) of `arrays` as the host sends them. */
  const range = (from: number, count: number, revision = 'r1') => {
    const ids = Object.keys(arrays.channels);
    const channels = new Float32Array(ids.length * count);
    ids.forEach((id, c) => channels.set(arrays.channels[id as 'head.yaw']!.subarray(from, from + count), c * count));
    const crops = new Float64Array(3 * count);
    for (let i = 0; i < count; i++) crops.set([arrays.crops[from + i]!.x, arrays.crops[from + i]!.y, arrays.crops[from + i]!.size], i * 3);
    return encodeTrackingRange({
      role: 'target',
      fps: 24,
      frameCount: n,
      from,
      count,
      revision,
      channelIds: ids,
      status: Uint8Array.from(arrays.status.slice(from, from + count)),
      confidence: arrays.confidence.slice(from, from + count),
      channels,
      sh: arrays.sh.slice(from * 27, (from + count) * 27),
      crops,
      actor: arrays.actor,
    });
  };

  it('ranges assembled in any order give what one whole reply gives', () => {
    const whole = decodeTrackingData(encodeTrackingData(arrays));
    for (const parts of [
      [[0, 5]],
      [[0, 2], [2, 2], [4, 1]],
      [[3, 2], [0, 0], [0, 3]],
      [[0, 1], [1, 1], [2, 1], [3, 1], [4, 1]],
    ]) {
      const a = new TrackingDataAssembler(range(0, 0));
      for (const [from, count] of parts) a.add(TrackingDataWire.parse(JSON.parse(JSON.stringify(range(from!, count!)))));
      expect(a.done()).toEqual(whole);
    }
  });

  it('refuses ranges of another revision or past the end, and a clip with frames missing', () => {
    const a = new TrackingDataAssembler(range(0, 0));
    expect(() => a.add(range(0, 2, 'r2'))).toThrow(/revision r2/);
    expect(() => a.add({ ...range(4, 1), from: 5 })).toThrow(/past the end/);
    expect(() => a.add({ ...range(0, 2), count: 3 })).toThrow(/inconsistent/);
    a.add(range(0, 4));
    expect(() => a.done()).toThrow(/4 of 5 frames/);
    // A range is not a whole clip.
    expect(() => decodeTrackingData(range(0, 4))).toThrow(/assemble its ranges/);
  });
});

