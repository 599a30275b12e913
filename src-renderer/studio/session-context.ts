import { createContext, useContext } from 'react';
import type { StudioSession } from './engine/session.js';

export const SessionContext = createContext<StudioSession | null>(null);

export function useSession(): StudioSession {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside the studio');
  return s;
}
