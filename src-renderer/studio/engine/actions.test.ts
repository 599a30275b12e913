import { describe, expect, it } from 'vitest';
import { ACTIONS, findAction, matchesShortcut } from './actions.js';

const ev = (key: string, mods: Partial<{ ctrlKey: boolean; metaKey: boolean; shiftKey: boolean; altKey: boolean }> = {}) => ({
  key,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('actions and shortcuts', () => {
  it('maps the studio keys to actions', () => {
    expect(findAction(ev(' '))?.id).toBe('play');
    expect(findAction(ev('j'))?.id).toBe('shuttleBack');
    expect(findAction(ev('k'))?.id).toBe('stopOrKey');
    expect(findAction(ev('l'))?.id).toBe('shuttleForward');
    expect(findAction(ev('ArrowLeft'))?.id).toBe('prevFrame');
    expect(findAction(ev('ArrowRight', { shiftKey: true }))?.id).toBe('forward10');
    expect(findAction(ev('z', { ctrlKey: true }))?.id).toBe('undo');
    expect(findAction(ev('Z', { metaKey: true, shiftKey: true }))?.id).toBe('redo');
    expect(findAction(ev('Delete'))?.id).toBe('deleteKeys');
    expect(findAction(ev('f'))?.id).toBe('frameAll');
    expect(findAction(ev('?', { shiftKey: true }))?.id).toBe('help');
    expect(findAction(ev('c', { ctrlKey: true }))?.id).toBe('copyKeys');
    expect(findAction(ev('v', { metaKey: true }))?.id).toBe('pasteKeys');
    expect(findAction(ev('h'))?.id).toBe('holdRange');
    expect(findAction(ev('H', { shiftKey: true }))?.id).toBe('removeHold');
    expect(findAction({ ...ev('∫', { altKey: true }), code: 'KeyB' })?.id).toBe('bakeRange');
  });
  it('does not fire plain-key actions with modifiers', () => {
    expect(matchesShortcut('K', ev('k', { ctrlKey: true }))).toBe(false);
    expect(matchesShortcut('Mod+Z', ev('z', { ctrlKey: true, shiftKey: true }))).toBe(false);
  });
  it('has unique ids and no shortcut bound twice', () => {
    expect(new Set(ACTIONS.map((a) => a.id)).size).toBe(ACTIONS.length);
    const keys = ACTIONS.flatMap((a) => a.keys);
    expect(new Set(keys).size).toBe(keys.length);
  });
});
