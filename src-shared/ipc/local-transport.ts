import type { Transport } from './client.js';
import type { ReplyBody } from './wire.js';

/** In-process transport: the CLI and tests talk to the registry without a socket. */
export function localTransport(
  dispatch: (channel: string, payload: unknown) => Promise<ReplyBody>,
  onAny: (listener: (event: string, payload: unknown) => void) => () => void,
): Transport {
  return {
    // A JSON round trip keeps the local path honest: nothing non-serialisable sneaks through.
    request: async (channel, payload) => JSON.parse(JSON.stringify(await dispatch(channel, JSON.parse(JSON.stringify(payload ?? {}))))) as ReplyBody,
    subscribe: (listener) => onAny(listener),
  };
}
