import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createConnection, createServer } from 'node:net';

/**
 * A real Debian redis-server on a free loopback port for one test file (no persistence). Ready
 * when it says so on stdout and answers PING; no sleeps.
 */
export interface RedisServer {
  port: number;
  url: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  const srv = createServer();
  srv.listen(0, '127.0.0.1');
  await once(srv, 'listening');
  const port = (srv.address() as { port: number }).port;
  await new Promise((r) => srv.close(r));
  return port;
}

export async function startRedis(): Promise<RedisServer> {
  const which = spawnSync('redis-server', ['--version'], { encoding: 'utf8' });
  if (which.error || which.status !== 0) {
    throw new Error('redis-server is not installed: the render farm tests run a real Redis. Install it with `apt-get install redis-server` (CI installs it in .ci/run).');
  }
  const port = await freePort();
  const child: ChildProcess = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (d: Buffer) => {
      log += d.toString();
      if (/Ready to accept connections/.test(log)) resolve();
    });
    child.on('exit', (code) => reject(new Error(`redis-server exited (${code}) before it was ready:\n${log.slice(-2000)}`)));
  });
  await ping(port);
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    async stop() {
      // Stopped already (a test may stop it early): a killed child has a signalCode, not an exitCode.
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGKILL');
      await exited;
    },
  };
}

function ping(port: number): Promise<void> {
  return new Promise((resolve, reject) => {
    const s = createConnection({ port, host: '127.0.0.1' }, () => s.write('PING\r\n'));
    s.on('data', (d) => {
      s.destroy();
      if (d.toString().startsWith('+PONG')) resolve();
      else reject(new Error(`redis answered ${d.toString()}`));
    });
    s.on('error', reject);
  });
}
