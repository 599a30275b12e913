import { useEffect } from 'react';
import { findAction } from '../engine/actions.js';
import { useEditor } from '../hooks.js';

function isTyping(t: EventTarget | null): boolean {
  if (!(t instanceof HTMLElement)) return false;
  if (t.isContentEditable) return true;
  const tag = t.tagName;
  if (tag === 'TEXTAREA' || tag === 'SELECT') return true;
  if (tag === 'INPUT') {
    const type = (t as HTMLInputElement).type;
    return !['checkbox', 'radio', 'button', 'range'].includes(type);
  }
  return false;
}

/** Global studio shortcuts, dispatched through the action table. */
export function useShortcuts(): void {
  const editor = useEditor();
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || isTyping(e.target)) return;
      // Inside a dialog or menu only the help toggle applies.
      const inOverlay = e.target instanceof HTMLElement && !!e.target.closest('[role="dialog"],[role="menu"],[role="listbox"]');
      const a = findAction(e);
      if (!a || (inOverlay && a.id !== 'help')) return;
      // Ctrl/Cmd+C over selected page text is the browser's copy, not a key copy.
      if (a.id === 'copyKeys' && (window.getSelection()?.toString() ?? '') !== '') return;
      e.preventDefault();
      a.perform(editor);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [editor]);
}
