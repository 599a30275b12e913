import { spawn, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import WebSocket from 'ws';
import { PortraitClient } from '../../src-shared/ipc/client.js';
import { WebSocketTransport, type SocketLike } from '../../src-shared/ipc/ws-transport.js';
import { REPO } from './paths.js';

export interface HostProcess {
  child: ChildProcess;
  port: number;
  token: string;
  url: string;
  /** Everything the host wrote to stderr so far (for failure messages). */
  stderr(): string;
  /** A contract client over a WebSocket to `address` (default 127.0.0.1), as the browser studio connects. */
  connect(address?: string): Promise<{ client: PortraitClient; close(): void }>;
  /** SIGTERM, then the exit code once the process has gone. */
  stop(): Promise<number | null>;
}

/**
 * `portrait host ... --json` in its own process, as a user starts it: resolves once it prints
 * its address (an event, not a delay); rejects with its stderr if it exits first.
 */
export async function startHostProcess(args: string[], env: Record<string, string> = {}): Promise<HostProcess> {
  const child = spawn(process.execPath, [join(REPO, 'bin', 'portrait.mjs'), 'host', '--port', '0', '--json', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let err = '';
  child.stderr!.on('data', (d: Buffer) => (err = (err + d.toString()).slice(-20_000)));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const line = await new Promise<string>((resolve, reject) => {
    let buf = '';
    child.stdout!.on('data', (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf('\n');
      if (nl >= 0) resolve(buf.slice(0, nl));
    });
    void exited.then((code) => reject(new Error(`portrait host exited before it listened (code ${code}): ${err}`)));
  });
  const { port, token, url } = JSON.parse(line) as { port: number; token: string; url: string };
  return {
    child,
    port,
    token,
    url,
    stderr: () => err,
    async connect(address = '127.0.0.1') {
      const ws = new WebSocket(`ws://${address.includes(':') ? `[${address}]` : address}:${port}/ws?token=${token}`);
      const transport = new WebSocketTransport(ws as unknown as SocketLike);
      await transport.ready();
      return { client: new PortraitClient(transport), close: () => ws.close() };
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  };
}
