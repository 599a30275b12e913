/**
 * One stage of the `long` bench, in its own process so that its peak resident memory (VmHWM:
 * the main thread, the worker threads and wasm heaps together; ffmpeg children excluded) is the
 * stage's alone. Prints one JSON line: the stage's figures, wall time and VmHWM.
 *
 *   npx tsx bench/long/stage.ts <stage> <projectDir> [video]
 * stages: import, tracking, curves, training, status, open, render
 */
import { readFileSync } from 'node:fs';
import { readdir, rm } from 'node:fs/promises';
import { readProjectFile } from '../../src-main/services/project/project-store.js';
import { ensureTrackingCache, trackingCachePath } from '../../src-main/services/tracking/tracking-service.js';
import { TRACKING_FETCH_CHUNK } from '../../src-shared/tracks/fetch-tracking.js';
import { join } from 'node:path';
import { createStudio } from '../../src-main/services/index.js';
import { studioClient } from '../../src-main/services/studio-client.js';

import { RENDER_FRAMES, TRAIN_STEPS } from './settings.js';

function peakRssMiB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
  return m ? Math.round(Number(m[1]) / 1024) : Number.NaN;
}

async function main(): Promise<void> {
  const [stage, dir, video] = process.argv.slice(2);
  if (!stage || !dir) throw new Error('usage: stage.ts <stage> <projectDir> [video]');
  const studio = createStudio({ mode: 'browser' });
  const client = studioClient(studio);
  const t0 = performance.now();
  const figures: Record<string, unknown> = {};
  switch (stage) {
    case 'import': {
      await client.call('project.create', { dir });
      await (await client.startJob('project.importVideo', { dir, role: 'target', path: video! })).result;
      break;
    }
    case 'tracking': {
      await client.call('project.open', { dir });
      const r = await (await client.startJob('tracking.start', { dir, role: 'target' })).result;
      Object.assign(figures, { framesTracked: r.framesTracked, framesWithFace: r.framesWithFace, resumedFrom: r.resumedFrom });
      break;
    }
    case 'curves': {
      // What the tracking job does at its end: derive the studio's curves into cache/ (done
      // again from scratch here, so the figure is the derivation's whatever ran before).
      await client.call('project.open', { dir });
      await rm(join(dir, 'cache', 'tracking-data-target.json'), { force: true });
      await rm(trackingCachePath(dir, 'target'), { force: true });
      const t = performance.now();
      const { project } = await readProjectFile(dir);
      await ensureTrackingCache(dir, project, 'target');
      Object.assign(figures, { ms: Math.round(performance.now() - t) });
      break;
    }
    case 'training': {
      await client.call('project.open', { dir });
      // Both clip lengths build their crop cache inside the stage (decode + crop of every frame).
      for (const f of await readdir(join(dir, 'cache')).catch(() => [] as string[])) if (f.startsWith('frames-')) await rm(join(dir, 'cache', f), { force: true });
      const r = await (
        await client.startJob('training.start', { dir, profile: 'cpu', steps: TRAIN_STEPS, resume: false, validateEverySteps: 10, checkpointEverySteps: 10, threads: 1, seed: 1 })
      ).result;
      Object.assign(figures, { steps: r.step - r.startStep, profile: r.profile, backend: r.backend, lossL1: r.last?.lossL1 ?? null });
      break;
    }
    case 'status': {
      // (a status reply is small: its history is bounded, so serialising it to measure it is harmless)
      await client.call('project.open', { dir });
      const t = performance.now();
      const s = await client.call('training.status', { dir });
      Object.assign(figures, { ms: Math.round(performance.now() - t), historyPoints: s.history.length, lastStep: s.lastStep, replyBytes: JSON.stringify(s).length });
      break;
    }
    case 'open': {
      // What the host does when the studio opens a project: project.open, then the target's
      // tracking by chunks as the studio asks (fetchTrackingData), each reply serialised as the
      // WebSocket door sends it. The page parses and decodes the replies in its own process (the
      // browser's, or Electron's renderer), so no parse is counted here (the in-process client's
      // JSON round trip would add the page's copies to the host's peak).
      let id = 0;
      let replyBytes = 0;
      let replies = 0;
      const call = async (channel: 'project.open' | 'tracking.data', payload: object) => {
        const body = await studio.registry.dispatch(channel, payload);
        const wire = JSON.stringify({ type: 'reply', id: ++id, ...body });
        if (!body.ok) throw new Error(`${channel}: ${body.error.message}`);
        replyBytes += wire.length;
        replies++;
        return body.value;
      };
      const t = performance.now();
      await call('project.open', { dir });
      const tOpen = performance.now();
      const head = (await call('tracking.data', { dir, role: 'target', from: 0, count: 0 })) as { frameCount: number; revision: string };
      for (let from = 0; from < head.frameCount; from += TRACKING_FETCH_CHUNK) {
        const d = (await call('tracking.data', { dir, role: 'target', from, count: Math.min(TRACKING_FETCH_CHUNK, head.frameCount - from), revision: head.revision })) as { revision: string };
        if (d.revision !== head.revision) throw new Error('the tracking changed while it was read');
      }
      const tData = performance.now();
      Object.assign(figures, {
        projectOpenMs: Math.round(tOpen - t),
        trackingDataMs: Math.round(tData - tOpen),
        openTotalMs: Math.round(tData - t),
        frameCount: head.frameCount,
        replies,
        replyBytes,
      });
      break;
    }
    case 'render': {
      const info = await client.call('project.open', { dir });
      const n = info.project.media.target!.probe.frameCount;
      const r = await (
        await client.startJob('render.start', { dir, out: join(dir, 'bench-render.mp4'), range: { start: n - RENDER_FRAMES, end: n - 1 }, overwrite: true, audio: 'none' })
      ).result;
      Object.assign(figures, { frames: r.frames, range: [n - RENDER_FRAMES, n - 1] });
      break;
    }
    default:
      throw new Error(`unknown stage ${stage}`);
  }
  await client.call('project.close', { dir }).catch(() => undefined);
  const wallSec = Math.round((performance.now() - t0) / 100) / 10;
  process.stdout.write(`STAGE_RESULT ${JSON.stringify({ stage, wallSec, peakRssMiB: peakRssMiB(), ...figures })}\n`);
  process.exit(0);
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error)?.stack ?? String(e)}\n`);
  process.exit(1);
});
