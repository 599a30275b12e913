import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { PortraitError, toErrorShape } from '../../src-shared/ipc/errors.js';
import { MAX_MESSAGE_BYTES, WireRequest, type WireEvent, type WireReply } from '../../src-shared/ipc/wire.js';
import type { Studio } from '../services/index.js';
import { serveRenderFile } from './render-file.js';
import { forwardEvents } from '../services/events.js';
import { hostHeaderAllowed, isLoopback, newSessionToken, originAllowed, tokenMatches } from './auth.js';
import { serveStatic } from './static-files.js';
import { createPathConfinement } from './path-confinement.js';

export interface HostOptions {
  studio: Studio;
  staticDir: string;
  port?: number;
  host?: string;
  /** Required to bind beyond loopback (a remote GPU box); the token still applies. */
  allowRemote?: boolean;
  token?: string;
  /** Extra origins allowed to connect (e.g. a dev server). */
  allowOrigins?: string[];
  /** Confine every path a client names to these folders (required with allowRemote). */
  projectsRoots?: string[];
}

export interface RunningHost {
  url: string;
  token: string;
  port: number;
  server: Server;
  close(): Promise<void>;
}

const REASONS: Record<number, string> = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden' };

function reject(socket: Socket, status: number, code: string, message: string): void {
  const body = JSON.stringify({ code, message });
  if (!socket.writable) return void socket.destroy();
  socket.write(
    `HTTP/1.1 ${status} ${REASONS[status] ?? 'Error'}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
  );
  socket.destroy();
}

/**
 * Browser mode: the built renderer over HTTP and the contract over WebSocket, on
 * 127.0.0.1 unless told otherwise. Every socket must present the session token.
 */
export async function startHost(opts: HostOptions): Promise<RunningHost> {
  const host = opts.host ?? '127.0.0.1';
  if (!isLoopback(host) && !opts.allowRemote) {
    throw new PortraitError(
      'BAD_REQUEST',
      `Refusing to listen on ${host}: that exposes your files and GPU to the network. Pass --allow-remote (with --projects-root) to do it on purpose (clients still need the token).`,
    );
  }
  if (opts.allowRemote && !isLoopback(host) && !(opts.projectsRoots?.length)) {
    throw new PortraitError('BAD_REQUEST', 'A host reachable from the network must confine its clients to project folders: pass --projects-root DIR (repeatable) with --allow-remote.');
  }
  const outsideRoots = opts.projectsRoots?.length ? createPathConfinement(opts.projectsRoots) : null;
  const token = opts.token ?? newSessionToken();
  const { studio } = opts;
  // A wildcard bind (--allow-remote on 0.0.0.0) is reached under names we cannot know: the token guards it.
  const wildcard = host === '0.0.0.0' || host === '::' || host === '[::]';
  const hostOk = (req: IncomingMessage) => wildcard || hostHeaderAllowed(req.headers.host, (server.address() as AddressInfo).port, host);
  const server = createServer((req, res) => {
    if (!hostOk(req)) {
      res.writeHead(421, { 'content-type': 'text/plain; charset=utf-8' }).end('This studio host answers only to its own address.');
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    if ((req.url ?? '').startsWith('/render-file?')) {
      const url = new URL(req.url ?? '/', 'http://localhost');
      if (!tokenMatches(token, url.searchParams.get('token'))) {
        res.writeHead(401, { 'content-type': 'text/plain; charset=utf-8' }).end('Missing or wrong session token.');
        return;
      }
      serveRenderFile(studio, req, url, res).catch(() => {
        if (res.headersSent) res.destroy();
        else res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('The studio host could not read that render.');
      });
      return;
    }
    serveStatic(opts.staticDir, req.url ?? '/', res).catch((e: unknown) => {
      if (res.headersSent) res.destroy();
      else res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8' }).end('The studio host could not read that file.');
      console.error('portrait host: static file error:', e);
    });
  });
  // Malformed HTTP (bad request line, oversize headers): answer 400 and drop that socket only.
  server.on('clientError', (_e, socket) => {
    if (socket.writable) socket.end('HTTP/1.1 400 Bad Request\r\nConnection: close\r\n\r\n');
    else socket.destroy();
  });
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  const clients = new Set<WebSocket>();

  server.on('upgrade', (req: IncomingMessage, socket: Socket, head: Buffer) => {
    // Nothing a client sends may take the host (and the jobs it runs) down: every failure of
    // the handshake closes this socket only.
    socket.on('error', () => socket.destroy());
    try {
      upgrade(req, socket, head);
    } catch {
      reject(socket, 400, 'BAD_REQUEST', 'Malformed WebSocket upgrade');
    }
  });
  const upgrade = (req: IncomingMessage, socket: Socket, head: Buffer) => {
    let url: URL;
    try {
      url = new URL(req.url ?? '/', 'http://localhost');
    } catch {
      return reject(socket, 400, 'BAD_REQUEST', 'Malformed request path');
    }
    if (url.pathname !== '/ws') return reject(socket, 403, 'UNAUTHORIZED', 'Unknown endpoint');
    if (!hostOk(req)) return reject(socket, 403, 'UNAUTHORIZED', 'This studio host answers only to its own address.');
    const port = (server.address() as AddressInfo).port;
    if (!originAllowed(req.headers.origin, port, host, opts.allowOrigins ?? [])) {
      return reject(socket, 403, 'UNAUTHORIZED', `Connections from ${req.headers.origin} are not allowed.`);
    }
    if (!tokenMatches(token, url.searchParams.get('token'))) {
      return reject(socket, 401, 'UNAUTHORIZED', 'Missing or wrong session token: open the exact URL the studio host printed.');
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      clients.add(ws);
      ws.on('close', () => clients.delete(ws));
      // A protocol error (oversize or fragmented frame, bad opcode or UTF-8, unmasked frame, bad
      // close code) is this client's problem: ws closes the socket with the right code; without a
      // listener the 'error' event would throw and end the process.
      ws.on('error', () => {
        clients.delete(ws);
        ws.terminate();
      });
      ws.on('message', (data, isBinary) => void onMessage(ws, data, isBinary));
    });
  };

  const send = (ws: WebSocket, msg: WireReply | WireEvent) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(msg));
  };
  const onMessage = async (ws: WebSocket, data: unknown, isBinary: boolean) => {
    let id = -1;
    try {
      if (isBinary) throw Object.assign(new Error('Binary messages are not part of the contract'), { code: 'BAD' });
      const raw = JSON.parse(String(data)) as unknown;
      if (raw && typeof raw === 'object' && typeof (raw as { id?: unknown }).id === 'number') id = (raw as { id: number }).id;
      const env = WireRequest.safeParse(raw);
      if (!env.success) {
        send(ws, { type: 'reply', id, ok: false, error: { code: 'BAD_REQUEST', message: 'Malformed message envelope' } });
        return;
      }
      const outside = outsideRoots?.(env.data.payload) ?? null;
      if (outside !== null) {
        send(ws, { type: 'reply', id: env.data.id, ok: false, error: { code: 'PERMISSION_DENIED', message: `${outside} is outside the project folders this host serves.` } });
        return;
      }
      const body = await studio.registry.dispatch(env.data.channel, env.data.payload);
      send(ws, { type: 'reply', id: env.data.id, ...body } as WireReply);
    } catch (e) {
      const shape = toErrorShape(e);
      send(ws, { type: 'reply', id, ok: false, error: shape.code === 'INTERNAL' ? { code: 'BAD_REQUEST', message: 'Message is not valid JSON' } : shape });
    }
  };

  const stopEvents = forwardEvents(studio.runner, (event, payload) => {
    for (const ws of clients) send(ws, { type: 'event', event, payload });
  });

  await new Promise<void>((resolve, rejectP) => {
    server.once('error', rejectP);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${port}/?token=${token}`,
    token,
    port,
    server,
    close: async () => {
      stopEvents();
      for (const ws of clients) ws.terminate();
      wss.close();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
