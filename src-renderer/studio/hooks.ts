import { createContext, useContext, useSyncExternalStore } from 'react';
import type { Atom } from './engine/atom.js';
import type { StudioEditor } from './engine/editor.js';

export const EditorContext = createContext<StudioEditor | null>(null);

export function useEditor(): StudioEditor {
  const e = useContext(EditorContext);
  if (!e) throw new Error('useEditor outside the studio');
  return e;
}

/** Subscribes a component to one atom of the engine (and only that one). */
export function useAtom<T>(atom: Atom<T>): T {
  return useSyncExternalStore(atom.subscribe, atom.get, atom.get);
}
