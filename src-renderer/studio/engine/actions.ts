/**
 * Every studio operation is an Action (Excalidraw's habit): one object gives the label shown
 * in menus and the help dialog, the shortcut(s), and what it does. The keyboard handler, the
 * toolbar buttons and the help list all read this table, so they cannot disagree.
 */
import { INTERPOLATIONS, type Interpolation } from '../../../src-shared/timeline/index.js';
import type { StudioEditor } from './editor.js';

export interface Action {
  id: string;
  label: string;
  group: 'Playback' | 'Edit' | 'Keys' | 'View' | 'Help';
  /** Shortcuts, e.g. 'Space', 'Mod+Shift+Z', 'ArrowLeft', '?'. Mod = Ctrl or Cmd. */
  keys: readonly string[];
  perform(editor: StudioEditor): void;
}

const INTERP_LABEL: Record<Interpolation, string> = {
  linear: 'Linear',
  step: 'Step (constant)',
  bezier: 'Bezier',
  easeIn: 'Ease in',
  easeOut: 'Ease out',
  easeInOut: 'Ease in-out',
};
export function interpLabel(i: Interpolation): string {
  return INTERP_LABEL[i];
}

export const ACTIONS: readonly Action[] = [
  { id: 'play', label: 'Play / pause', group: 'Playback', keys: ['Space'], perform: (e) => e.togglePlay() },
  { id: 'shuttleBack', label: 'Play backwards (again: faster)', group: 'Playback', keys: ['J'], perform: (e) => e.shuttle(-1) },
  {
    id: 'stopOrKey',
    label: 'Stop while playing; otherwise key the selected channels at the playhead',
    group: 'Keys',
    keys: ['K'],
    perform: (e) => (e.rate.get() !== 0 ? e.pause() : e.keySelectedAtPlayhead()),
  },
  { id: 'shuttleForward', label: 'Play forwards (again: faster)', group: 'Playback', keys: ['L'], perform: (e) => e.shuttle(1) },
  { id: 'prevFrame', label: 'Previous frame', group: 'Playback', keys: ['ArrowLeft'], perform: (e) => e.step(-1) },
  { id: 'nextFrame', label: 'Next frame', group: 'Playback', keys: ['ArrowRight'], perform: (e) => e.step(1) },
  { id: 'back10', label: 'Back 10 frames', group: 'Playback', keys: ['Shift+ArrowLeft'], perform: (e) => e.step(-10) },
  { id: 'forward10', label: 'Forward 10 frames', group: 'Playback', keys: ['Shift+ArrowRight'], perform: (e) => e.step(10) },
  { id: 'first', label: 'Go to first frame', group: 'Playback', keys: ['Home'], perform: (e) => e.setFrame(e.range.get().in) },
  { id: 'last', label: 'Go to last frame', group: 'Playback', keys: ['End'], perform: (e) => e.setFrame(e.range.get().out) },
  { id: 'markIn', label: 'Set in point at playhead', group: 'Playback', keys: ['I'], perform: (e) => e.setIn() },
  { id: 'markOut', label: 'Set out point at playhead', group: 'Playback', keys: ['O'], perform: (e) => e.setOut() },
  { id: 'clearRange', label: 'Clear in/out range', group: 'Playback', keys: ['Alt+X'], perform: (e) => e.clearRange() },
  { id: 'undo', label: 'Undo', group: 'Edit', keys: ['Mod+Z'], perform: (e) => e.undo() },
  { id: 'redo', label: 'Redo', group: 'Edit', keys: ['Mod+Shift+Z', 'Mod+Y'], perform: (e) => e.redo() },
  { id: 'copyKeys', label: 'Copy selected keys', group: 'Edit', keys: ['Mod+C'], perform: (e) => e.copySelectedKeys() },
  { id: 'pasteKeys', label: 'Paste keys at the playhead', group: 'Edit', keys: ['Mod+V'], perform: (e) => e.pasteAtPlayhead() },
  { id: 'holdRange', label: 'Hold channel over range (in to out)', group: 'Keys', keys: ['H'], perform: (e) => e.holdSelectedOverRange() },
  { id: 'removeHold', label: 'Remove holds of the selected channels at the playhead', group: 'Keys', keys: ['Shift+H'], perform: (e) => e.removeHoldsAtPlayhead() },
  { id: 'bakeRange', label: 'Bake range to keys (in to out)', group: 'Keys', keys: ['Alt+B'], perform: (e) => e.bakeSelectedRange() },
  { id: 'deleteKeys', label: 'Delete selected keys', group: 'Keys', keys: ['Delete', 'Backspace'], perform: (e) => e.deleteSelectedKeys() },
  { id: 'selectAllKeys', label: 'Select all keys of the shown channels', group: 'Keys', keys: ['Mod+A'], perform: (e) => selectAll(e) },
  { id: 'nudgeUp', label: 'Raise selected keys (1 unit)', group: 'Keys', keys: ['ArrowUp'], perform: (e) => nudge(e, 1) },
  { id: 'nudgeDown', label: 'Lower selected keys (1 unit)', group: 'Keys', keys: ['ArrowDown'], perform: (e) => nudge(e, -1) },
  ...INTERPOLATIONS.map(
    (i, n): Action => ({
      id: `interp.${i}`,
      label: `Interpolation: ${INTERP_LABEL[i]}`,
      group: 'Keys',
      keys: [`Alt+${n + 1}`],
      perform: (e) => e.setInterpolation(i),
    }),
  ),
  { id: 'frameAll', label: 'Frame all (fit curves / selected keys)', group: 'View', keys: ['F'], perform: (e) => e.frameAll() },
  { id: 'help', label: 'Keyboard shortcuts', group: 'Help', keys: ['?'], perform: (e) => e.helpOpen.set(!e.helpOpen.get()) },
];

function selectAll(e: StudioEditor): void {
  const edits = e.doc.get().edits;
  const refs = e.selection.get().channels.flatMap((channel) => (edits.channels[channel]?.keys ?? []).map((k) => ({ channel, frame: k.frame })));
  e.selectKeys(refs);
}

function nudge(e: StudioEditor, dir: 1 | -1): void {
  if (e.selection.get().keys.size === 0) return;
  const step = e.selection.get().channels.some((c) => c.startsWith('expr.') || c.startsWith('blink.')) ? 0.05 : 1;
  e.moveSelectedKeys(0, dir * step, true);
}

export function actionById(id: string): Action {
  const a = ACTIONS.find((x) => x.id === id);
  if (!a) throw new Error(`unknown action ${id}`);
  return a;
}

export interface KeyEventLike {
  key: string;
  code?: string;
  ctrlKey: boolean;
  metaKey: boolean;
  shiftKey: boolean;
  altKey: boolean;
}

/** Whether a keyboard event matches a shortcut string such as 'Mod+Shift+Z'. */
export function matchesShortcut(shortcut: string, e: KeyEventLike): boolean {
  const parts = shortcut.split('+');
  const main = parts.pop()!;
  const mods = new Set(parts);
  const mod = e.ctrlKey || e.metaKey;
  if (mods.has('Mod') !== mod) return false;
  if (mods.has('Alt') !== e.altKey) return false;
  // '?' needs Shift on most layouts: do not require Shift to be absent for punctuation.
  const punct = main.length === 1 && !/[a-z0-9]/i.test(main);
  if (!punct && mods.has('Shift') !== e.shiftKey) return false;
  if (main === 'Space') return e.key === ' ' || e.code === 'Space';
  if (main.length === 1 && /[a-z]/i.test(main)) return e.key.toLowerCase() === main.toLowerCase() || e.code === `Key${main.toUpperCase()}`;
  if (main.length === 1 && /[0-9]/.test(main)) return e.key === main || e.code === `Digit${main}`;
  return e.key === main;
}

export function findAction(e: KeyEventLike): Action | undefined {
  return ACTIONS.find((a) => a.keys.some((k) => matchesShortcut(k, e)));
}

/** Human-readable shortcut for the current platform. */
export function shortcutLabel(k: string, mac = typeof navigator !== 'undefined' && /Mac/.test(navigator.platform)): string {
  return k
    .replace('Mod', mac ? '⌘' : 'Ctrl')
    .replace('ArrowLeft', '←')
    .replace('ArrowRight', '→')
    .replace('ArrowUp', '↑')
    .replace('ArrowDown', '↓');
}
