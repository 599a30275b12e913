import { describe, expect, it } from 'vitest';
import { PortraitError } from '../../../src-shared/ipc/errors.js';
import { deserializeCheckpoint, serializeCheckpoint, type Checkpoint } from './checkpoint.js';
import { checkpointNetworkVersion } from './compat.js';

function sample(): Checkpoint {
  return {
    profile: 'tiny', signature: 'tiny:16', resolution: 16, backend: 'wasm', step: 12, seed: 3,
    rng: [1, 2, 3, 4], createdAt: '2025-01-01T00:00:00.000Z',
    tensors: [
      { name: 'a', shape: [2, 3], data: Float32Array.from([1, 2, 3, 4, 5, -6.5]) },
      { name: 'b', shape: [1], data: Float32Array.from([Math.PI]) },
      { name: 'empty', shape: [0, 4], data: new Float32Array(0) },
    ],
  };
}

function expectCorrupt(bytes: Uint8Array, code = 'PROJECT_CORRUPT'): PortraitError {
  try {
    deserializeCheckpoint(bytes);
  } catch (e) {
    expect(e).toBeInstanceOf(PortraitError);
    expect((e as PortraitError).code).toBe(code);
    return e as PortraitError;
  }
  throw new Error('expected the checkpoint to be refused');
}

describe('checkpoint bytes', () => {
  it('round-trips header and tensors exactly', () => {
    const c = sample();
    const back = deserializeCheckpoint(serializeCheckpoint(c));
    expect(back).toEqual(c);
  });

  it('reads from an unaligned buffer (as fs may hand out)', () => {
    const bytes = serializeCheckpoint(sample());
    const shifted = new Uint8Array(bytes.length + 1).subarray(1);
    shifted.set(bytes);
    expect(deserializeCheckpoint(shifted).tensors[0]!.data[5]).toBe(-6.5);
  });

  it('refuses flipped payload bits, truncation, garbage and foreign files', () => {
    const bytes = serializeCheckpoint(sample());
    const flipped = Uint8Array.from(bytes);
    flipped[flipped.length - 2]! ^= 0x10;
    expect(expectCorrupt(flipped).message).toMatch(/checksum/);
    expect(expectCorrupt(bytes.subarray(0, bytes.length - 4)).message).toMatch(/expected \d+ bytes/);
    expectCorrupt(new Uint8Array(3));
    expectCorrupt(Buffer.from('{"format":1}'));
    const badJson = Uint8Array.from(bytes);
    badJson[9] = 0x7b; // '{' inside the JSON breaks it
    badJson[10] = 0x7b;
    expectCorrupt(badJson);
  });

  it('says a newer format needs a newer app', () => {
    const bytes = serializeCheckpoint(sample());
    const len = bytes.readUInt32LE(4);
    const header = JSON.parse(bytes.subarray(8, 8 + len).toString()) as Record<string, unknown>;
    const json = Buffer.from(JSON.stringify({ ...header, format: 2 }));
    const out = Buffer.alloc(8 + json.length);
    out.writeUInt32LE(bytes.readUInt32LE(0), 0);
    out.writeUInt32LE(json.length, 4);
    json.copy(out, 8);
    expectCorrupt(out, 'PROJECT_TOO_NEW');
  });

  it('carries the network version and the profile variant; a header without a version is version 1', () => {
    const c: Checkpoint = { ...sample(), networkVersion: 2, variant: { upsample: 'resize-conv', emaDecay: 0.999 } };
    const back = deserializeCheckpoint(serializeCheckpoint(c));
    expect(back.networkVersion).toBe(2);
    expect(back.variant).toEqual({ upsample: 'resize-conv', emaDecay: 0.999 });
    const old = deserializeCheckpoint(serializeCheckpoint(sample()));
    expect(old.networkVersion).toBeUndefined();
    expect(checkpointNetworkVersion(old)).toBe(1);
    expect(checkpointNetworkVersion(back)).toBe(2);
  });
});
