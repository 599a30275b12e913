/**
 * The host process survives whatever a client sends (issue 15, points 1, 2 and 8): a real
 * `portrait host` process, raw TCP for what a well-behaved client library would never send.
 */
import { randomBytes } from 'node:crypto';
import { connect, type Socket } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startHostProcess, type HostProcess } from '../../test/helpers/host-process.js';
import { hostHeaderAllowed, isLoopback } from './auth.js';

let host: HostProcess;
let port: number;
let token: string;

beforeAll(async () => {
  host = await startHostProcess([]);
  ({ port, token } = host);
});
afterAll(async () => {
  await host.stop();
});

/** The host still runs and answers the contract. */
async function alive(): Promise<void> {
  expect(host.child.exitCode).toBeNull();
  const { client, close } = await host.connect();
  const info = await client.call('app.info', {});
  expect(info.mode).toBe('browser');
  close();
}

/** Sends raw bytes and resolves with everything the host answered once it closes the socket. */
function raw(bytes: Buffer | string, after?: (s: Socket, answered: () => string) => void): Promise<string> {
  return new Promise((resolve) => {
    const s = connect(port, '127.0.0.1');
    let got = '';
    s.on('data', (d) => (got += d.toString('latin1')));
    s.on('error', () => {});
    s.on('close', () => resolve(got));
    s.on('connect', () => {
      s.write(bytes);
      after?.(s, () => got);
    });
  });
}

function upgradeRequest(path: string, host = `127.0.0.1:${port}`): string {
  return [
    `GET ${path} HTTP/1.1`,
    `Host: ${host}`,
    'Upgrade: websocket',
    'Connection: Upgrade',
    `Sec-WebSocket-Key: ${randomBytes(16).toString('base64')}`,
    'Sec-WebSocket-Version: 13',
    '',
    '',
  ].join('\r\n');
}

function frame(first: number, payload: Buffer, masked = true): Buffer {
  if (payload.length >= 126) throw new Error('short frames only');
  const head = Buffer.from([first, (masked ? 0x80 : 0) | payload.length]);
  if (!masked) return Buffer.concat([head, payload]);
  const key = randomBytes(4);
  const body = Buffer.from(payload.map((b, i) => b ^ key[i % 4]!));
  return Buffer.concat([head, key, body]);
}

const closeCode = (code: number) => Buffer.from([code >> 8, code & 0xff]);
const BAD_FRAMES: Record<string, Buffer> = {
  'a message over the size limit': Buffer.concat([Buffer.from([0x81, 0x80 | 127]), Buffer.from([0, 0, 0, 0, 0, 0x50, 0, 0]), randomBytes(4)]),
  'invalid UTF-8 in a text frame': frame(0x81, Buffer.from([0xff, 0xfe, 0xfd])),
  'an unmasked client frame': frame(0x81, Buffer.from('hi'), false),
  'a reserved opcode': frame(0x83, Buffer.from('x')),
  'RSV bits without an extension': frame(0xc1, Buffer.from('x')),
  'a close frame with an invalid code': frame(0x88, closeCode(999)),
  'a fragmented control frame': frame(0x09, Buffer.from('p')),
};

describe('a real host process under hostile input', () => {
  it('a WebSocket upgrade to `//` (no token) is refused and the host keeps running', async () => {
    const answer = await raw(upgradeRequest('//'));
    expect(answer).toMatch(/^HTTP\/1\.1 4\d\d /);
    await alive();
  });

  for (const [name, bytes] of Object.entries(BAD_FRAMES)) {
    it(`a token holder sending ${name} loses only its own connection`, async () => {
      await raw(upgradeRequest(`/ws?token=${token}`), (s, answered) => {
        // Send the bad frame once the handshake is answered (an event, not a delay).
        const check = () => {
          if (answered().includes('\r\n\r\n')) {
            expect(answered()).toMatch(/^HTTP\/1\.1 101 /);
            s.write(bytes);
          } else s.once('data', check);
        };
        check();
      });
      await alive();
    });
  }

  it('refuses a request naming another host (DNS rebinding), on HTTP and on the socket', async () => {
    const http = await raw(`GET / HTTP/1.1\r\nHost: rebind.example:${port}\r\nConnection: close\r\n\r\n`);
    expect(http).toMatch(/^HTTP\/1\.1 421 /);
    const ws = await raw(upgradeRequest(`/ws?token=${token}`, `rebind.example:${port}`));
    expect(ws).toMatch(/^HTTP\/1\.1 403 /);
    const own = await raw(`GET / HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    expect(own).toMatch(/^HTTP\/1\.1 (200|503) /);
    await alive();
  });

  it('answers a malformed % escape with 400, not the raw error', async () => {
    const r = await raw(`GET /%E0%A4%A HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`);
    expect(r).toMatch(/^HTTP\/1\.1 400 /);
    expect(r).not.toMatch(/URIError/);
  });

  it('answers malformed HTTP with 400 and keeps running', async () => {
    const r = await raw('THIS IS NOT HTTP\r\n\r\n');
    expect(r).toMatch(/^HTTP\/1\.1 400 /);
    await alive();
  });
});

describe('host names', () => {
  it('loopback means localhost, ::1 or a 127.0.0.0/8 address, never a name beginning "127."', () => {
    expect(isLoopback('127.0.0.1')).toBe(true);
    expect(isLoopback('127.1.2.3')).toBe(true);
    expect(isLoopback('localhost')).toBe(true);
    expect(isLoopback('::1')).toBe(true);
    expect(isLoopback('127.evil.example')).toBe(false);
    expect(isLoopback('127.0.0.1.nip.io')).toBe(false);
  });
  it('the Host header must name this server and its port', () => {
    expect(hostHeaderAllowed('127.0.0.1:7860', 7860, '127.0.0.1')).toBe(true);
    expect(hostHeaderAllowed('localhost:7860', 7860, '127.0.0.1')).toBe(true);
    expect(hostHeaderAllowed('[::1]:7860', 7860, '127.0.0.1')).toBe(true);
    expect(hostHeaderAllowed('gpu-box:7860', 7860, 'gpu-box')).toBe(true);
    expect(hostHeaderAllowed('127.0.0.1:9999', 7860, '127.0.0.1')).toBe(false);
    expect(hostHeaderAllowed('rebind.example:7860', 7860, '127.0.0.1')).toBe(false);
    expect(hostHeaderAllowed('127.0.0.1.nip.io:7860', 7860, '127.0.0.1')).toBe(false);
    expect(hostHeaderAllowed('user@127.0.0.1:7860', 7860, '127.0.0.1')).toBe(false);
    expect(hostHeaderAllowed(undefined, 7860, '127.0.0.1')).toBe(false);
  });
});
