// Runs the Playwright suite with Debian's chromium; says clearly what is missing.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const chromium = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.error(`e2e: no chromium at ${chromium}. Install it with \`apt-get install -y chromium\` (CI's .ci/run does), or set CHROMIUM_PATH.`);
  process.exit(1);
}
const r = spawnSync('npx', ['playwright', 'test', '-c', 'e2e/playwright.config.ts', ...process.argv.slice(2)], { stdio: 'inherit' });
process.exit(r.status ?? 1);
