import { parseArgs } from 'node:util';
import { farmUrlProblem } from '../../src-shared/output/farm-url.js';
import { UsageError, type Io } from './output.js';

/**
 * `portrait worker --farm redis://host:port`: renders farm chunks until Ctrl+C / SIGTERM (the
 * chunk in progress goes back to the queue). One line per chunk on stdout.
 */
export async function runWorkerCommand(args: string[], io: Io): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      args,
      options: {
        farm: { type: 'string' },
        'map-path': { type: 'string', multiple: true },
        'lock-seconds': { type: 'string' },
        'give-up-seconds': { type: 'string' },
        name: { type: 'string' },
        json: { type: 'boolean', default: false },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (e) {
    throw new UsageError((e as Error).message);
  }
  if (typeof values.farm !== 'string') throw new UsageError('--farm redis://host:port is required');
  const problem = farmUrlProblem(values.farm);
  if (problem) throw new UsageError(problem);
  let lockMs: number | undefined;
  if (values['lock-seconds'] !== undefined) {
    const s = Number(values['lock-seconds']);
    if (!Number.isFinite(s) || s < 1 || s > 600) throw new UsageError('--lock-seconds must be 1..600');
    lockMs = Math.round(s * 1000);
  }
  let giveUpMs: number | undefined;
  if (values['give-up-seconds'] !== undefined) {
    const s = Number(values['give-up-seconds']);
    if (!Number.isFinite(s) || s < 1 || s > 86_400) throw new UsageError('--give-up-seconds must be 1..86400');
    giveUpMs = Math.round(s * 1000);
  }
  // Loaded here: nothing but this command (and farm renders) loads bullmq.
  const { parseMapPath } = await import('../services/render/farm/chunks.js');
  const { runFarmWorker } = await import('../services/render/farm/worker.js');
  const maps = (values['map-path'] ?? []).map((m) => {
    try {
      return parseMapPath(m);
    } catch (e) {
      throw new UsageError((e as Error).message);
    }
  });
  const ac = new AbortController();
  const stop = () => ac.abort();
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
  const log = values.json ? (line: string) => io.out(JSON.stringify({ time: new Date().toISOString(), message: line })) : (line: string) => io.out(line);
  try {
    const r = await runFarmWorker({
      url: values.farm,
      maps,
      ...(lockMs !== undefined ? { timings: { lockMs, stalledMs: Math.max(500, Math.round(lockMs / 2)) } } : {}),
      ...(values.name ? { name: values.name } : {}),
      ...(giveUpMs !== undefined ? { giveUpMs } : {}),
      log,
      signal: ac.signal,
    });
    log(`worker stopped after ${r.chunks} chunk${r.chunks === 1 ? '' : 's'}`);
    return 0;
  } finally {
    process.off('SIGINT', stop);
    process.off('SIGTERM', stop);
    // BullMQ's timers and ioredis's reconnects can outlive a close that Redis never answered
    // (its closes are bounded in runFarmWorker): a stopped worker must not linger for them.
    setTimeout(() => process.exit(), 3_000).unref();
  }
}
