import type { EventName, EventOf } from '../../src-shared/ipc/contract.js';
import type { JobRunner } from './jobs/job-runner.js';

/**
 * Which runner event each contract event carries, declared once (issue 18): the Electron and
 * the WebSocket doors both forward through forwardEvents, and a new contract event that is not
 * mapped here fails to compile.
 */
const RUNNER_EVENT: { [K in EventName]: 'progress' | 'finished' | 'started' } = {
  'job.progress': 'progress',
  'job.finished': 'finished',
  'job.started': 'started',
};

/** Sends every contract event to `send` until the returned function is called. */
export function forwardEvents(runner: JobRunner, send: <K extends EventName>(event: K, payload: EventOf<K>) => void): () => void {
  const offs = (Object.keys(RUNNER_EVENT) as EventName[]).map((event) => {
    const on = (payload: unknown) => send(event, payload as EventOf<typeof event>);
    runner.on(RUNNER_EVENT[event], on);
    return () => runner.off(RUNNER_EVENT[event], on);
  });
  return () => {
    for (const off of offs) off();
  };
}
