import { promises as fs } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appFileFor, appResponseHeaders, externalLinkAllowed, navigationAllowed } from './app-window-policy.js';

describe('the Electron window’s policy', () => {
  it('serves only files really inside the renderer folder', async () => {
    const root = await fs.mkdtemp(join(tmpdir(), 'app-policy-'));
    await fs.mkdir(join(root, 'www'));
    await fs.writeFile(join(root, 'www', 'index.html'), '<!doctype html>');
    await fs.writeFile(join(root, 'secret.txt'), 'x');
    await fs.symlink(join(root, 'secret.txt'), join(root, 'www', 'leak.txt'));
    const www = join(root, 'www');
    expect(appFileFor(www, '/index.html')).toBe(join(await fs.realpath(www), 'index.html'));
    expect(appFileFor(www, '/../secret.txt')).toBeNull();
    expect(appFileFor(www, '/..%2fsecret.txt')).toBeNull();
    expect(appFileFor(www, '/leak.txt')).toBeNull();
    expect(appFileFor(www, '/%E0%A4%A')).toBeNull();
    expect(appFileFor(www, '/a%00b')).toBeNull();
    await fs.rm(root, { recursive: true, force: true });
  });

  it('keeps navigation inside the app and opens no outside link that is not allow-listed', () => {
    expect(navigationAllowed('app://studio/index.html')).toBe(true);
    expect(navigationAllowed('app://studio.evil/index.html')).toBe(false);
    expect(navigationAllowed('https://studio/')).toBe(false);
    expect(navigationAllowed('not a url')).toBe(false);
    expect(externalLinkAllowed('https://evil.example/')).toBe(false);
    expect(externalLinkAllowed('file:///etc/passwd')).toBe(false);
    expect(externalLinkAllowed('javascript:alert(1)')).toBe(false);
  });

  it('every app:// response carries the CSP (custom protocols skip onHeadersReceived)', () => {
    const csp = appResponseHeaders()['Content-Security-Policy']!;
    expect(csp).toMatch(/default-src 'self'/);
    expect(csp).toMatch(/frame-ancestors 'none'/);
    expect(csp).toMatch(/form-action 'none'/);
    expect(csp).toMatch(/connect-src 'self'(;|$)/);
  });
});
