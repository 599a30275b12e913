import { createContext, useContext } from 'react';
import type { PortraitClient } from '../../src-shared/ipc/client.js';

export const ClientContext = createContext<PortraitClient | null>(null);

export function useClient(): PortraitClient {
  const c = useContext(ClientContext);
  if (!c) throw new Error('useClient outside ClientContext');
  return c;
}
