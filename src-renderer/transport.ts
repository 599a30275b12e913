import { PortraitClient, type Transport } from '../src-shared/ipc/client.js';
import { WebSocketTransport } from '../src-shared/ipc/ws-transport.js';

/** Exposed by the Electron preload; absent in browser mode. */
declare global {
  interface Window {
    portrait?: Transport & {
      pickPath?: (opts: { kind: 'video' | 'folder'; title: string; defaultPath?: string }) => Promise<string | null>;
      revealRender?: (dir: string, file: string) => Promise<boolean>;
    };
  }
}

export interface Connection {
  client: PortraitClient;
  mode: 'electron' | 'browser';
  ready: Promise<void>;
}

/**
 * One client, two transports: the preload's IPC bridge in Electron, the host's WebSocket
 * (token taken from the URL the host printed) in a browser.
 */
export function connect(): Connection {
  if (window.portrait) {
    return { client: new PortraitClient(window.portrait), mode: 'electron', ready: Promise.resolve() };
  }
  const params = new URLSearchParams(window.location.search);
  const token = params.get('token') ?? sessionStorage.getItem('portrait.token') ?? '';
  if (token) sessionStorage.setItem('portrait.token', token);
  const proto = window.location.protocol === 'https:' ? 'wss:' : 'ws:';
  const socket = new WebSocket(`${proto}//${window.location.host}/ws?token=${encodeURIComponent(token)}`);
  const transport = new WebSocketTransport(socket);
  return { client: new PortraitClient(transport), mode: 'browser', ready: transport.ready() };
}

/**
 * Where the studio's player fetches a render: the host's /render-file with this session's
 * token in browser mode; the app scheme's route in Electron (same origin either way).
 */
export function renderFileUrl(dir: string, file: string): string {
  const q = new URLSearchParams({ dir, file });
  if (!window.portrait) q.set('token', sessionStorage.getItem('portrait.token') ?? '');
  return `/render-file?${q.toString()}`;
}
