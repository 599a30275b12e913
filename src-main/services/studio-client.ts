import { PortraitClient } from '../../src-shared/ipc/client.js';
import { localTransport } from '../../src-shared/ipc/local-transport.js';
import type { Studio } from './index.js';

/** A typed client bound to an in-process studio (CLI, tests). */
export function studioClient(studio: Studio): PortraitClient {
  return new PortraitClient(
    localTransport(
      (channel, payload) => studio.registry.dispatch(channel, payload),
      (listener) => {
        const p = (x: unknown) => listener('job.progress', x);
        const f = (x: unknown) => listener('job.finished', x);
        const s = (x: unknown) => listener('job.started', x);
        studio.runner.on('progress', p);
        studio.runner.on('finished', f);
        studio.runner.on('started', s);
        return () => {
          studio.runner.off('progress', p);
          studio.runner.off('finished', f);
          studio.runner.off('started', s);
        };
      },
    ),
  );
}
