import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { createStudio } from '../services/index.js';
import { startHost } from '../host/host-server.js';
import { rendererDir } from '../host/renderer-dir.js';
import { UsageError, type Io } from './output.js';

/** `portrait host`: browser mode. Runs until SIGINT/SIGTERM, then releases project locks. */
export async function runHostCommand(args: string[], io: Io): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        port: { type: 'string', default: process.env['PORTRAIT_PORT'] ?? '7860' },
        host: { type: 'string', default: '127.0.0.1' },
        'allow-remote': { type: 'boolean', default: false },
        'allow-origin': { type: 'string', multiple: true },
        'projects-root': { type: 'string', multiple: true },
        json: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`invalid --port ${values.port}`);
  const projectsRoots = (values['projects-root'] ?? []).map((r) => resolve(r));
  // A confined host's file picker browses its project roots, never the home folder.
  const studio = createStudio({ mode: 'browser', ...(projectsRoots.length ? { fileRoots: projectsRoots } : {}) });
  const host = await startHost({
    studio,
    staticDir: rendererDir(),
    port,
    host: values.host,
    allowRemote: values['allow-remote'],
    allowOrigins: values['allow-origin'] ?? [],
    projectsRoots,
  });
  if (values.json) io.out(JSON.stringify({ url: host.url, port: host.port, token: host.token }));
  else {
    io.out('Portrait Studio is running in browser mode.');
    io.out(`Open this URL in your browser (it carries this session's token):\n\n    ${host.url}\n`);
    io.out('Press Ctrl+C to stop.');
  }
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  io.out('Stopping: cancelling jobs (they checkpoint) and releasing project locks…');
  await host.close();
  await studio.dispose();
  return 0;
}
