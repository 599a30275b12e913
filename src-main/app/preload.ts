// Sandboxed preload: exposes only the typed contract transport, nothing of Node.
import { contextBridge, ipcRenderer } from 'electron';

type Listener = (event: string, payload: unknown) => void;
const listeners = new Set<Listener>();
ipcRenderer.on('portrait:event', (_e, event: string, payload: unknown) => {
  for (const l of listeners) l(event, payload);
});

contextBridge.exposeInMainWorld('portrait', {
  request: (channel: string, payload: unknown) => ipcRenderer.invoke('portrait:request', channel, payload),
  subscribe: (listener: Listener) => {
    listeners.add(listener);
    return () => listeners.delete(listener);
  },
  // The native open dialog (browser mode has its own picker over files.list).
  pickPath: (opts: { kind: 'video' | 'folder'; title: string; defaultPath?: string }) => ipcRenderer.invoke('portrait:pick', opts),
  revealRender: (dir: string, file: string) => ipcRenderer.invoke('portrait:reveal', dir, file),
});
