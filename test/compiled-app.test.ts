import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { REPO, fixture } from './helpers/paths.js';

/**
 * The Electron app runs the compiled services (dist/app), not TypeScript: check that they,
 * and the worker threads they start, run in plain node without any TypeScript loader.
 */
describe('compiled app (what electron-builder packages)', () => {
  it('builds and runs a worker-thread job without tsx', () => {
    const build = spawnSync(process.execPath, [join(REPO, 'scripts', 'build-main.mjs')], { encoding: 'utf8' });
    expect(build.status, build.stderr).toBe(0);
    const tmp = mkdtempSync(join(tmpdir(), 'compiled-'));
    const app = (p: string) => pathToFileURL(join(REPO, 'dist', 'app', p)).href;
    const script = join(tmp, 'smoke.mjs');
    writeFileSync(
      script,
      `const { createStudio } = await import(${JSON.stringify(app('src-main/services/index.js'))});
       const { studioClient } = await import(${JSON.stringify(app('src-main/services/studio-client.js'))});
       const studio = createStudio({ mode: 'electron' });
       const c = studioClient(studio);
       const dir = ${JSON.stringify(join(tmp, 'p'))};
       await c.call('project.create', { dir });
       await (await c.startJob('project.importVideo', { dir, role: 'target', path: ${JSON.stringify(fixture('two_frames.mp4'))} })).result;
       const r = await (await c.startJob('tracking.start', { dir, role: 'target' })).result;
       console.log('RESULT ' + JSON.stringify(r));
       await studio.dispose();`,
    );
    // No --import tsx: a .ts import anywhere would fail here.
    const run = spawnSync(process.execPath, [script], { encoding: 'utf8', env: { ...process.env, NODE_OPTIONS: '' } });
    const line = run.stdout.split('\n').find((l) => l.startsWith('RESULT '));
    expect(line, run.stderr).toBeDefined();
    expect(JSON.parse(line!.slice(7))).toMatchObject({ frames: 2, framesTracked: 2, framesWithFace: 2 });
    rmSync(tmp, { recursive: true, force: true });
  });
});
