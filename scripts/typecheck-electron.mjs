// Typechecks the Electron door (src-main/app) against Electron's own type definitions.
// The d.ts ships in the `electron` npm package, whose install (a binary download) fails on
// machines without access to GitHub, so npm drops the optional dependency; the package
// tarball itself comes from the npm registry like any other, and only its electron.d.ts is kept.
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, copyFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const version = pkg.optionalDependencies?.electron ?? pkg.devDependencies?.electron;
const cacheDir = join(root, 'node_modules', '.cache', 'electron-types');
const dts = join(cacheDir, 'electron.d.ts');
const stamp = join(cacheDir, 'version');

const installed = join(root, 'node_modules', 'electron', 'electron.d.ts');
if (!(existsSync(dts) && existsSync(stamp) && readFileSync(stamp, 'utf8') === version)) {
  mkdirSync(cacheDir, { recursive: true });
  if (existsSync(installed) && JSON.parse(readFileSync(join(root, 'node_modules', 'electron', 'package.json'), 'utf8')).version === version) {
    copyFileSync(installed, dts);
  } else {
    const tmp = mkdtempSync(join(tmpdir(), 'electron-types-'));
    try {
      const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
      const name = execFileSync(npm, ['pack', `electron@${version}`, '--silent', '--pack-destination', tmp], { encoding: 'utf8' }).trim().split('\n').pop();
      execFileSync('tar', ['-xzf', join(tmp, name), '-C', tmp, 'package/electron.d.ts']);
      copyFileSync(join(tmp, 'package', 'electron.d.ts'), dts);
    } catch (e) {
      console.error(`typecheck-electron: could not get the type definitions of electron@${version} from the npm registry (${e.message.split('\n')[0]}).`);
      process.exit(1);
    } finally {
      rmSync(tmp, { recursive: true, force: true });
    }
  }
  writeFileSync(stamp, version);
}
const tsc = join(root, 'node_modules', 'typescript', 'bin', 'tsc');
const r = spawnSync(process.execPath, [tsc, '-p', join(root, 'tsconfig.electron.json')], { stdio: 'inherit' });
process.exit(r.status ?? 1);
