// Electron bootstrap: window, security settings, IPC wiring. Kept thin: everything
// testable lives in src-main/services and is shared with the browser-mode host.
import { app, BrowserWindow, dialog, ipcMain, protocol, net, session, shell, type IpcMainInvokeEvent, type OpenDialogOptions } from 'electron';
import { join } from 'node:path';
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { APP_ORIGIN, APP_SCHEME, appFileFor, appResponseHeaders, externalLinkAllowed, navigationAllowed } from '../security/app-window-policy.js';
import { createStudio } from '../services/index.js';
import { ElectronRecentBackend } from './electron-recent.js';
import { rendererDir } from '../host/renderer-dir.js';
import { VIDEO_EXTENSIONS } from '../services/files/list-folder.js';
import { answerRenderFile } from '../host/render-file.js';
import { forwardEvents } from '../services/events.js';
import { recordedVideo } from '../services/render/render-history.js';

protocol.registerSchemesAsPrivileged([{ scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } }]);

const studio = createStudio({ mode: 'electron', recentBackend: new ElectronRecentBackend() });
const windows = new Set<BrowserWindow>();

function trustedSender(e: IpcMainInvokeEvent): boolean {
  const url = e.senderFrame?.url ?? '';
  return navigationAllowed(url);
}

function createWindow(): void {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    title: 'Portrait Studio',
    backgroundColor: '#121212',
    webPreferences: {
      preload: join(import.meta.dirname, 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  windows.add(win);
  win.on('closed', () => windows.delete(win));
  win.webContents.setWindowOpenHandler(({ url }) => {
    if (externalLinkAllowed(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  win.webContents.on('will-navigate', (e, url) => {
    if (!navigationAllowed(url)) e.preventDefault();
  });
  win.webContents.on('will-attach-webview', (e) => e.preventDefault());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
}

void app.whenReady().then(() => {
  const root = rendererDir();
  protocol.handle(APP_SCHEME, async (req) => {
    const url = new URL(req.url);
    const { pathname } = url;
    if (pathname === '/render-file') {
      // The studio's player (issue 16 item 16): only renders of open projects, by byte range.
      const a = await answerRenderFile(studio, url.searchParams.get('dir'), url.searchParams.get('file'), req.headers.get('range') ?? undefined);
      const body = a.file ? (Readable.toWeb(createReadStream(a.file.path, { start: a.file.start, end: a.file.end })) as unknown as ReadableStream) : (a.text ?? null);
      return new Response(body, { status: a.status, headers: { ...a.headers, ...appResponseHeaders() } });
    }
    const file = appFileFor(root, pathname);
    if (!file) return new Response('Forbidden', { status: 403 });
    const res = await net.fetch(pathToFileURL(file).toString());
    const headers = new Headers(res.headers);
    for (const [k, v] of Object.entries(appResponseHeaders())) headers.set(k, v);
    return new Response(res.body, { status: res.status, headers });
  });
  session.defaultSession.setPermissionRequestHandler((_wc, _perm, cb) => cb(false));
  session.defaultSession.setPermissionCheckHandler(() => false);

  ipcMain.handle('portrait:request', async (e, channel: unknown, payload: unknown) => {
    if (!trustedSender(e)) return { ok: false, error: { code: 'UNAUTHORIZED', message: 'Untrusted sender' } };
    if (typeof channel !== 'string') return { ok: false, error: { code: 'BAD_REQUEST', message: 'Channel must be a string' } };
    return studio.registry.dispatch(channel, payload);
  });
  // "Show in folder" for a render this project made (nothing else is revealed).
  ipcMain.handle('portrait:reveal', async (e, dir: unknown, file: unknown) => {
    if (!trustedSender(e) || typeof dir !== 'string' || typeof file !== 'string' || !studio.store.isOpen(dir)) return false;
    const entry = await recordedVideo(dir, file);
    if (!entry) return false;
    shell.showItemInFolder(entry.file);
    return true;
  });
  ipcMain.handle('portrait:pick', async (e, raw: unknown) => {
    if (!trustedSender(e)) return null;
    const opts = (raw ?? {}) as { kind?: unknown; title?: unknown; defaultPath?: unknown };
    const folder = opts.kind === 'folder';
    const options: OpenDialogOptions = {
      title: typeof opts.title === 'string' ? opts.title : folder ? 'Choose a folder' : 'Choose a video',
      properties: folder ? ['openDirectory', 'createDirectory'] : ['openFile'],
      ...(typeof opts.defaultPath === 'string' ? { defaultPath: opts.defaultPath } : {}),
      ...(folder ? {} : { filters: [{ name: 'Videos', extensions: [...VIDEO_EXTENSIONS].map((x) => x.slice(1)) }, { name: 'All files', extensions: ['*'] }] }),
    };
    const win = BrowserWindow.fromWebContents(e.sender);
    const r = win ? await dialog.showOpenDialog(win, options) : await dialog.showOpenDialog(options);
    return r.canceled ? null : (r.filePaths[0] ?? null);
  });
  forwardEvents(studio.runner, (event, payload) => {
    for (const w of windows) w.webContents.send('portrait:event', event, payload);
  });

  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  // Jobs (training overnight) live in main: on macOS the app stays up with them.
  if (process.platform !== 'darwin') app.quit();
});

let quitting = false;
app.on('before-quit', (e) => {
  if (quitting) return;
  quitting = true;
  e.preventDefault();
  void studio.dispose().finally(() => app.quit());
});
