/**
 * Seeded fuzzing of the host's contract (issue 15): thousands of messages, well-formed and not,
 * to every channel with hostile and plausible payloads. The host must answer each with a reply
 * that is a result or a typed error (never INTERNAL, never silence), keep serving, and leave
 * every file outside its temporary folder alone.
 */
import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { contract } from '../../src-shared/ipc/contract.js';
import { ERROR_CODES } from '../../src-shared/ipc/errors.js';
import { createStudio, type Studio } from '../services/index.js';
import { FileRecentBackend } from '../services/project/recent-store.js';
import { fixture } from '../../test/helpers/paths.js';
import { startHost, type RunningHost } from './host-server.js';

let studio: Studio;
let host: RunningHost;
let root: string;
let outside: string;
/** The host's working folder (the repository here): a relative path would land there. */
let cwdBefore: string[];

beforeAll(async () => {
  root = await fs.mkdtemp(join(tmpdir(), 'host-fuzz-'));
  outside = await fs.mkdtemp(join(tmpdir(), 'host-fuzz-outside-'));
  cwdBefore = (await fs.readdir(process.cwd())).sort();
  await fs.writeFile(join(outside, 'keep.txt'), 'untouched');
  await fs.mkdir(join(root, 'www'));
  await fs.writeFile(join(root, 'www', 'index.html'), '<!doctype html>');
  studio = createStudio({ mode: 'browser', recentBackend: new FileRecentBackend(join(root, 'recent.json')) });
  host = await startHost({ studio, staticDir: join(root, 'www'), port: 0 });
  // One real project to aim at, with a video, so requests get past "not found".
  const dir = join(root, 'proj');
  await studio.registry.dispatch('project.create', { dir });
  await fs.copyFile(fixture('two_frames.mp4'), join(root, 'clip.mp4'));
});
afterAll(async () => {
  await host.close();
  await studio.dispose();
  await fs.rm(root, { recursive: true, force: true });
  await fs.rm(outside, { recursive: true, force: true });
});

function arbitraries() {
  const channels = Object.keys(contract);
  const path = fc.oneof(
    fc.constantFrom(join(root, 'proj'), join(root, 'proj/'), join(root, 'clip.mp4'), join(root, 'new-proj'), join(root, 'proj', 'renders', 'out.mp4'), join(root, 'proj', 'renders', 'frames')),
    fc.constantFrom('relative/path', '', '/', `${root}/proj/\0x`, `${join(root, 'proj')}/../../../../etc`, `${outside}/../${join('x', '..', 'y')}`, 'C:\\\\nope', '../../..'),
    fc.string(),
  );
  const value = fc.letrec<{ v: unknown }>((tie) => ({
    v: fc.oneof(
      { depthSize: 'small' },
      fc.integer(),
      fc.double(),
      fc.constantFrom(-1, 0, 1, 1e12, Number.MAX_SAFE_INTEGER, -0),
      fc.boolean(),
      fc.constant(null),
      fc.string(),
      path,
      fc.array(tie('v'), { maxLength: 3 }),
      fc.dictionary(fc.string({ maxLength: 8 }), tie('v'), { maxKeys: 3 }),
    ),
  })).v;
  const payload = fc.record(
    {
      dir: path,
      path,
      out: path,
      role: fc.constantFrom('target', 'source', 'both', 7),
      frame: fc.oneof(fc.integer({ min: -5, max: 200 }), value),
      name: fc.oneof(fc.constantFrom('snap', '..', '../../x', 'a/b', ''), fc.string()),
      jobId: fc.oneof(fc.uuid(), fc.string()),
      edits: value,
      size: value,
      steps: fc.oneof(fc.integer({ min: -3, max: 3 }), value),
      profile: fc.constantFrom('tiny', 'cpu', 'bogus'),
      fromSnapshot: fc.constantFrom('../../../../outside/evil', 'snap', '.hidden'),
      extra: value,
    },
    { requiredKeys: [] },
  );
  const envelope = fc.record({
    type: fc.constantFrom('request', 'reply', 'event', 'x'),
    id: fc.oneof(fc.nat(), fc.string(), fc.constant(null)),
    channel: fc.oneof(fc.constantFrom(...channels), fc.string()),
    payload: fc.oneof(payload, value),
  });
  return fc.oneof(
    { weight: 6, arbitrary: fc.record({ type: fc.constant('request'), id: fc.nat(), channel: fc.constantFrom(...channels), payload }).map((m) => JSON.stringify(m)) },
    { weight: 2, arbitrary: envelope.map((m) => JSON.stringify(m)) },
    { weight: 1, arbitrary: fc.string().map((s) => s) },
    { weight: 1, arbitrary: value.map((v) => JSON.stringify(v) ?? 'undefined') },
  );
}

describe('the host under 2,000 fuzzed messages (seeded)', () => {
  it('answers every one with a result or a typed error (never INTERNAL), keeps serving, and touches nothing outside its folder', async () => {
    const messages = fc.sample(arbitraries(), { seed: 20261128, numRuns: 2000 });
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/ws?token=${host.token}`);
    await new Promise((r, j) => (ws.once('open', r), ws.once('error', j)));
    const replies: Array<{ ok: boolean; error?: { code: string; message: string } }> = [];
    let waiting: ((r: unknown) => void) | null = null;
    const started = new Set<string>();
    const finished = new Map<string, { state: string; error?: { code: string; message: string } }>();
    let allDone: (() => void) | null = null;
    ws.on('message', (d) => {
      const m = JSON.parse(String(d)) as { type: string; event?: string; payload?: { jobId: string; state: string; error?: { code: string; message: string } } };
      if (m.type === 'event' && m.event === 'job.started') started.add(m.payload!.jobId);
      if (m.type === 'event' && m.event === 'job.finished') {
        finished.set(m.payload!.jobId, m.payload!);
        if (finished.size >= started.size) allDone?.();
      }
      if (m.type !== 'reply') return;
      replies.push(m as never);
      waiting?.(m);
    });
    const internal: string[] = [];
    for (const msg of messages) {
      const reply = new Promise((r) => (waiting = r));
      ws.send(msg);
      const r = (await reply) as { ok: boolean; error?: { code: string; message: string } };
      if (!r.ok) {
        expect(ERROR_CODES).toContain(r.error!.code);
        if (r.error!.code === 'INTERNAL') internal.push(`${msg.slice(0, 200)} -> ${r.error!.message}`);
      }
    }
    // The fuzz must reach the handlers, not only the schema check (measured: ~21% do).
    expect(replies.filter((r) => r.ok || r.error!.code !== 'BAD_REQUEST').length).toBeGreaterThan(200);
    expect(replies).toHaveLength(messages.length);
    expect(internal).toEqual([]);
    // Every job the fuzz started ends (these inputs fail fast), none with an INTERNAL error.
    if (finished.size < started.size) await new Promise<void>((r) => (allDone = r));
    const jobInternal = [...finished.values()].filter((f) => f.state === 'failed' && f.error?.code === 'INTERNAL').map((f) => f.error!.message);
    expect(jobInternal).toEqual([]);
    // Still serving.
    const info = await studio.registry.dispatch('app.info', {});
    expect(info.ok).toBe(true);
    ws.close();
    // Jobs the fuzz started end (they fail fast on these inputs or are cancelled by dispose).
    expect(await fs.readFile(join(outside, 'keep.txt'), 'utf8')).toBe('untouched');
    expect(await fs.readdir(outside)).toEqual(['keep.txt']);
    // 'C:\\nope' is a relative name on Linux: it once created a project in the repository.
    expect((await fs.readdir(process.cwd())).sort()).toEqual(cwdBefore);
  });
});
