import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Config, Human } from '@vladmandic/human';
import { installFileFetch } from './modelFetch.js';

const require = createRequire(import.meta.url);

/** Package folders, resolved from this file so it works from source, tests and workers. */
function humanDir(): string {
  // `require.resolve('@vladmandic/human')` gives dist/human.node.js under the node condition.
  return dirname(dirname(require.resolve('@vladmandic/human')));
}
function wasmDir(): string {
  return dirname(require.resolve('@tensorflow/tfjs-backend-wasm'));
}

export interface HumanOptions {
  /** Faces the detector may return; 2+ so a second face is noticed, not silently dropped. */
  maxFaces?: number;
  /**
   * Frames the mesh may track from the previous frame's box before the detector runs
   * again. 0 = run the detector on every frame (stills, seeks).
   */
  skipFrames?: number;
}

export function humanConfig(opts: HumanOptions = {}): Partial<Config> {
  const skip = opts.skipFrames ?? 0;
  return {
    backend: 'wasm',
    wasmPath: pathToFileURL(wasmDir()).href + '/',
    modelBasePath: pathToFileURL(join(humanDir(), 'models')).href + '/',
    debug: false,
    async: false,
    warmup: 'none',
    // Human's cache gate: 0 would forbid skipping; its diff is tiny between video frames.
    cacheSensitivity: skip > 0 ? 0.7 : 0,
    filter: { enabled: false } as Config['filter'],
    gesture: { enabled: false },
    face: {
      enabled: true,
      detector: {
        modelPath: 'blazeface.json',
        rotation: false,
        maxDetected: opts.maxFaces ?? 2,
        minConfidence: 0.3,
        iouThreshold: 0.1,
        skipFrames: skip,
        // skipTime is wall-clock; offline tracking is paced by frames, not time.
        skipTime: skip > 0 ? 1e9 : 0,
        return: false,
      },
      mesh: { enabled: true, modelPath: 'facemesh.json', keepInvalid: false },
      iris: { enabled: true, modelPath: 'iris.json', scale: 2.3 },
      emotion: { enabled: false },
      description: { enabled: false },
      antispoof: { enabled: false },
      liveness: { enabled: false },
      attention: { enabled: false },
      gear: { enabled: false },
    } as unknown as Config['face'],
    body: { enabled: false } as Config['body'],
    hand: { enabled: false } as Config['hand'],
    object: { enabled: false } as Config['object'],
    segmentation: { enabled: false } as Config['segmentation'],
  };
}

type HumanModule = { Human: new (config?: Partial<Config>) => Human };

/** A loaded Human on the wasm backend. One per thread: tfjs state is per thread. */
export async function createHuman(opts: HumanOptions = {}): Promise<Human> {
  installFileFetch();
  const mod = require(join(humanDir(), 'dist', 'human.node-wasm.js')) as HumanModule;
  const before = snapshotProcessHandlers();
  const human = new mod.Human(humanConfig(opts));
  await human.load();
  await human.tf.ready();
  // The emscripten glue of tfjs-backend-wasm installs process handlers that rethrow every
  // uncaught exception and unhandled rejection; in the app's main process that turns any
  // stray rejection into a crash. Remove what it added.
  restoreProcessHandlers(before);
  return human;
}

type ProcessEvent = 'uncaughtException' | 'unhandledRejection';
const EVENTS: ProcessEvent[] = ['uncaughtException', 'unhandledRejection'];

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- Node's own listener type
type Listener = (...args: any[]) => void;

function listeners(e: ProcessEvent): Listener[] {
  return (e === 'uncaughtException' ? process.listeners(e) : process.listeners(e)) as Listener[];
}

function snapshotProcessHandlers(): Map<ProcessEvent, Set<Listener>> {
  return new Map(EVENTS.map((e): [ProcessEvent, Set<Listener>] => [e, new Set(listeners(e))]));
}

function restoreProcessHandlers(before: Map<ProcessEvent, Set<Listener>>): void {
  for (const e of EVENTS) {
    for (const l of listeners(e)) {
      if (!before.get(e)!.has(l)) process.removeListener(e as string, l);
    }
  }
}
