// Bundles the Electron main process (ESM) and the sandboxed preload (CJS) into dist/main.
import { build } from 'esbuild';

const common = { bundle: true, platform: 'node', target: 'node20', sourcemap: true, logLevel: 'info' };
const external = ['electron', 'electron-store', '@tensorflow/*', '@vladmandic/human', 'ffmpeg-static', '@ffmpeg-installer/*', 'ws', 'tsx'];
await build({ ...common, entryPoints: ['src-main/app/main.ts'], outfile: 'dist/main/main.mjs', format: 'esm', external });
await build({ ...common, entryPoints: ['src-main/app/preload.ts'], outfile: 'dist/main/preload.cjs', format: 'cjs', external: ['electron'] });
