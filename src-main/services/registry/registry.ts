import { contract, type JobChannelName, type ParsedRequestOf, type RequestChannelName, type ReplyOf, type ResultOf } from '../../../src-shared/ipc/contract.js';
import { PortraitError, toErrorShape } from '../../../src-shared/ipc/errors.js';
import type { ReplyBody } from '../../../src-shared/ipc/wire.js';
import type { JobContext, JobRunner } from '../jobs/job-runner.js';

export type RequestHandler<K extends RequestChannelName> = (req: ParsedRequestOf<K>) => Promise<ReplyOf<K>> | ReplyOf<K>;
export interface JobHandler<K extends JobChannelName> {
  label: (req: ParsedRequestOf<K>) => string;
  /** What in the project the job works on, when a project can run several of this channel (lets a reopened studio re-attach to the right one). */
  subject?: (req: ParsedRequestOf<K>) => string;
  /** Runs after validation, before the job starts: refuse early (e.g. already running). */
  precheck?: (req: ParsedRequestOf<K>) => Promise<void> | void;
  run: (req: ParsedRequestOf<K>, ctx: JobContext) => Promise<ResultOf<K>>;
}

type AnyRequestHandler = (req: unknown) => unknown;
type AnyJobHandler = { label: (req: unknown) => string; subject?: (req: unknown) => string; precheck?: (req: unknown) => unknown; run: (req: unknown, ctx: JobContext) => Promise<unknown> };

/**
 * Validates every request against the contract and turns every failure into a typed
 * error reply. Transports only move envelopes; this is the single point of trust.
 */
export class ServiceRegistry {
  private readonly requests = new Map<string, AnyRequestHandler>();
  private readonly jobs = new Map<string, AnyJobHandler>();
  private readonly guards: Array<(channel: string, req: unknown) => void> = [];

  constructor(private readonly runner: JobRunner) {}

  /** A check every valid request passes before its handler (or a job's precheck) runs. */
  guard(check: (channel: string, req: unknown) => void): this {
    this.guards.push(check);
    return this;
  }

  handle<K extends RequestChannelName>(channel: K, handler: RequestHandler<K>): this {
    this.requests.set(channel, handler as AnyRequestHandler);
    return this;
  }

  job<K extends JobChannelName>(channel: K, handler: JobHandler<K>): this {
    this.jobs.set(channel, handler as unknown as AnyJobHandler);
    return this;
  }

  /** Channels declared in the contract that have no handler: a startup check. */
  missing(): string[] {
    return Object.keys(contract).filter((c) => !this.requests.has(c) && !this.jobs.has(c));
  }

  async dispatch(channel: string, payload: unknown): Promise<ReplyBody> {
    try {
      if (!Object.prototype.hasOwnProperty.call(contract, channel)) {
        throw new PortraitError('UNKNOWN_CHANNEL', `Unknown channel "${channel}"`);
      }
      const def = contract[channel as keyof typeof contract];
      const parsed = def.request.safeParse(payload ?? {});
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => ({ path: i.path.map(String), message: i.message }));
        const first = issues[0];
        throw new PortraitError(
          'BAD_REQUEST',
          `Invalid request for ${channel}: ${first ? `${first.path.join('.') || '(payload)'} ${first.message}` : 'malformed'}`,
          { issues },
        );
      }
      for (const check of this.guards) check(channel, parsed.data);
      if (def.kind === 'request') {
        const handler = this.requests.get(channel);
        if (!handler) throw new PortraitError('UNSUPPORTED', `${channel} is not available in this build`);
        const value = await handler(parsed.data);
        const checked = def.reply.safeParse(value);
        if (!checked.success) throw new PortraitError('INTERNAL', `The service for ${channel} produced an invalid reply`);
        return { ok: true, value: checked.data };
      }
      const handler = this.jobs.get(channel);
      if (!handler) throw new PortraitError('UNSUPPORTED', `${channel} is not available in this build`);
      await handler.precheck?.(parsed.data);
      const jobId = this.runner.start(channel, handler.label(parsed.data), async (ctx) => {
        const result = await handler.run(parsed.data, ctx);
        const checked = def.result.safeParse(result);
        if (!checked.success) throw new PortraitError('INTERNAL', `The job ${channel} produced an invalid result`);
        return checked.data;
      }, typeof (parsed.data as { dir?: unknown }).dir === 'string' ? (parsed.data as { dir: string }).dir : null, handler.subject?.(parsed.data) ?? null);
      return { ok: true, value: { jobId } };
    } catch (e) {
      return { ok: false, error: toErrorShape(e) };
    }
  }
}
