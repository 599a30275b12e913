import { crc32 as zlibCrc32 } from 'node:zlib';
import { z } from 'zod';
import { PortraitError } from '../../../src-shared/ipc/errors.js';

export const CHECKPOINT_FORMAT = 1;
const MAGIC = 0x4b435350; // 'PSCK' little-endian

export interface CheckpointTensor {
  name: string;
  shape: number[];
  data: Float32Array;
}

const Header = z.object({
  format: z.literal(CHECKPOINT_FORMAT),
  profile: z.string(),
  /** profileSignature(): resolution and every width, so a renamed profile cannot slip through */
  signature: z.string(),
  /**
   * NETWORK_VERSION of the app that trained it (model/profiles.ts); absent in checkpoints
   * written before the field existed, which are version 1.
   */
  networkVersion: z.number().int().positive().optional(),
  /** the profile's options where they differ from the named profile (PORTRAIT_PROFILE_OVERRIDES experiments) */
  variant: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  resolution: z.number().int().positive(),
  backend: z.string(),
  step: z.number().int().nonnegative(),
  seed: z.number().int(),
  rng: z.tuple([z.number().int(), z.number().int(), z.number().int(), z.number().int()]),
  createdAt: z.string(),
  tensors: z.array(z.object({ name: z.string(), shape: z.array(z.number().int().nonnegative()), offset: z.number().int().nonnegative(), length: z.number().int().nonnegative() })),
  crc32: z.number().int().nonnegative(),
});
type Header = z.infer<typeof Header>;

export type CheckpointMeta = Omit<Header, 'tensors' | 'crc32' | 'format'>;
export interface Checkpoint extends CheckpointMeta {
  /** weights of G and D, then Adam moments named adam.m.* / adam.v.*, then ema.* (G, when the profile keeps an EMA) */
  tensors: CheckpointTensor[];
}

/**
 * One Buffer: 'PSCK', u32 header length, JSON header, zero padding to 4 bytes, then the
 * float32 tensors back to back (little-endian). The header carries a CRC32 of the payload.
 */
export function serializeCheckpoint(ckpt: Checkpoint): Buffer {
  const entries: Header['tensors'] = [];
  let floats = 0;
  for (const t of ckpt.tensors) {
    const n = t.shape.reduce((a, b) => a * b, 1);
    if (n !== t.data.length) throw new PortraitError('INTERNAL', `tensor ${t.name}: shape ${t.shape} does not match ${t.data.length} values`);
    entries.push({ name: t.name, shape: [...t.shape], offset: floats, length: n });
    floats += n;
  }
  const payload = new Float32Array(floats);
  for (let i = 0; i < ckpt.tensors.length; i++) payload.set(ckpt.tensors[i]!.data, entries[i]!.offset);
  const payloadBytes = new Uint8Array(payload.buffer);
  const { tensors: _t, ...meta } = ckpt;
  const header: Header = { format: CHECKPOINT_FORMAT, ...meta, tensors: entries, crc32: crc32(payloadBytes) };
  const json = Buffer.from(JSON.stringify(header), 'utf8');
  const pre = 8 + json.length;
  const pad = (4 - (pre % 4)) % 4;
  const out = Buffer.alloc(pre + pad + payloadBytes.length);
  out.writeUInt32LE(MAGIC, 0);
  out.writeUInt32LE(json.length, 4);
  json.copy(out, 8);
  Buffer.from(payloadBytes.buffer, payloadBytes.byteOffset, payloadBytes.byteLength).copy(out, pre + pad);
  return out;
}

export function deserializeCheckpoint(buf: Uint8Array): Checkpoint {
  const b = Buffer.from(buf.buffer, buf.byteOffset, buf.byteLength);
  const corrupt = (why: string): PortraitError =>
    new PortraitError('PROJECT_CORRUPT', `The training checkpoint is damaged (${why}); resume from an earlier checkpoint or start training again`);
  if (b.length < 8 || b.readUInt32LE(0) !== MAGIC) throw corrupt('not a Portrait Studio checkpoint');
  const len = b.readUInt32LE(4);
  if (8 + len > b.length) throw corrupt('truncated header');
  let header: Header;
  try {
    const parsed = Header.safeParse(JSON.parse(b.subarray(8, 8 + len).toString('utf8')));
    if (!parsed.success) {
      const raw = JSON.parse(b.subarray(8, 8 + len).toString('utf8')) as { format?: unknown };
      if (typeof raw.format === 'number' && raw.format > CHECKPOINT_FORMAT) {
        throw new PortraitError('PROJECT_TOO_NEW', `The checkpoint was written by a newer Portrait Studio (format ${raw.format}); update the app to resume it`);
      }
      throw corrupt('invalid header');
    }
    header = parsed.data;
  } catch (e) {
    if (e instanceof PortraitError) throw e;
    throw corrupt('unreadable header');
  }
  const pre = 8 + len;
  const start = pre + ((4 - (pre % 4)) % 4);
  let floats = 0;
  for (const t of header.tensors) {
    if (t.offset !== floats || t.length !== t.shape.reduce((a, c) => a * c, 1)) throw corrupt(`bad layout of ${t.name}`);
    floats += t.length;
  }
  if (b.length !== start + floats * 4) throw corrupt(`expected ${start + floats * 4} bytes, found ${b.length}`);
  // Copy to an aligned buffer: a Buffer from fs may start at any byte offset.
  const payload = new Uint8Array(floats * 4);
  payload.set(b.subarray(start));
  if (crc32(payload) !== header.crc32) throw corrupt('checksum mismatch');
  const all = new Float32Array(payload.buffer);
  const { tensors, crc32: _c, format: _f, ...meta } = header;
  return { ...meta, tensors: tensors.map((t) => ({ name: t.name, shape: t.shape, data: all.subarray(t.offset, t.offset + t.length) })) };
}

/** CRC-32 (IEEE) of the payload, by node:zlib's native implementation. */
export function crc32(bytes: Uint8Array): number {
  return zlibCrc32(bytes) >>> 0;
}
