import { z } from 'zod';
import { PortraitErrorShape } from './errors.js';

/**
 * Envelope of every message on a transport. Electron IPC carries the same envelopes,
 * so the registry and the client have one code path for both.
 */
export const WireRequest = z.object({
  type: z.literal('request'),
  id: z.number().int().nonnegative(),
  channel: z.string().min(1).max(100),
  payload: z.unknown(),
});
export type WireRequest = z.infer<typeof WireRequest>;

export const WireReply = z.discriminatedUnion('ok', [
  z.object({ type: z.literal('reply'), id: z.number().int(), ok: z.literal(true), value: z.unknown() }),
  z.object({ type: z.literal('reply'), id: z.number().int(), ok: z.literal(false), error: PortraitErrorShape }),
]);
export type WireReply = z.infer<typeof WireReply>;

export const WireEvent = z.object({ type: z.literal('event'), event: z.string(), payload: z.unknown() });
export type WireEvent = z.infer<typeof WireEvent>;

/** A reply body without the envelope id: what a service dispatch produces. */
export type ReplyBody = { ok: true; value: unknown } | { ok: false; error: PortraitErrorShape };

/** Largest message a transport accepts; guards the host against memory exhaustion. */
export const MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
