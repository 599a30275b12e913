/**
 * Timeline engine benchmark: how long evaluating every channel takes for a long clip with
 * a realistic edit layer, plus transfer and history costs. run() is called by the bench
 * runner, which writes bench/results/timeline.json.
 */
import { neutralParams } from '../src-shared/face/params.js';
import {
  allocRange,
  CHANNEL_COUNT,
  CHANNEL_IDS,
  defaultTransfer,
  emptyEdits,
  evaluate,
  evaluateRange,
  History,
  INTERPOLATIONS,
  syntheticTracks,
  transfer,
  type TimelineDoc,
  type TimelineEdits,
} from '../src-shared/timeline/index.js';

const FRAMES = 10_000;
const KEYS_PER_CHANNEL = 40;
const RUNS = 9;

function median(xs: number[]): number {
  const s = xs.slice().sort((a, b) => a - b);
  return s[s.length >> 1]!;
}

function timeMs(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

/** Keys on every channel, every interpolation kind, and a hold on every fourth channel. */
function editedDoc(): TimelineDoc {
  const edits: TimelineEdits = emptyEdits();
  CHANNEL_IDS.forEach((id, c) => {
    const keys = [];
    for (let k = 0; k < KEYS_PER_CHANNEL; k++) {
      keys.push({
        frame: Math.round((k * FRAMES) / KEYS_PER_CHANNEL) + (c % 7),
        value: 0.1 * Math.sin(k + c),
        interp: INTERPOLATIONS[(k + c) % INTERPOLATIONS.length]!,
        inSlope: 0.001,
        outSlope: -0.001,
      });
    }
    edits.channels[id] = { keys, mute: false, solo: false, lock: false };
    if (c % 4 === 0) edits.holds.push({ channel: id, start: 1000 + c * 10, end: 1500 + c * 10 });
  });
  return { base: syntheticTracks(30, FRAMES, 1), edits };
}

export async function run(): Promise<Record<string, unknown>> {
  const doc = editedDoc();
  const out = allocRange(FRAMES);
  evaluateRange(doc, 0, FRAMES, out); // warm-up: JIT
  const evalRuns = Array.from({ length: RUNS }, () => timeMs(() => evaluateRange(doc, 0, FRAMES, out)));

  const p = neutralParams();
  const single = timeMs(() => {
    for (let f = 0; f < 1000; f++) evaluate(doc, f * 7, p);
  });

  const source = syntheticTracks(25, Math.round((FRAMES * 25) / 30), 2);
  const settings = { ...defaultTransfer(), enabled: true };
  transfer(source, doc.base, settings);
  const transferRuns = Array.from({ length: 5 }, () => timeMs(() => transfer(source, doc.base, settings)));

  const h = new History(doc);
  const commands = 1000;
  const historyMs = timeMs(() => {
    for (let i = 0; i < commands; i++) {
      h.execute({ type: 'moveKeys', channel: CHANNEL_IDS[i % CHANNEL_COUNT]!, frames: [], dFrame: 1, dValue: 0 });
    }
    while (h.undo());
  });

  return {
    evalMs10k: median(evalRuns),
    evalMs10kRuns: evalRuns,
    frames: FRAMES,
    channels: CHANNEL_COUNT,
    keysPerChannel: KEYS_PER_CHANNEL,
    holds: doc.edits.holds.length,
    evaluateSingleFrameUs: (single / 1000) * 1000,
    transferMs10k: median(transferRuns),
    historyExecuteAndUndoUsPerCommand: (historyMs / commands) * 1000,
  };
}
