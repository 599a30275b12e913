// Worker threads do not inherit tsx/vitest loaders: register tsx, then load the TypeScript.
import { register } from 'tsx/esm/api';

register();
await import('./worker.ts');
