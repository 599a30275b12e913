import { readFileSync } from 'node:fs';
import { STATE_FILE } from './global-setup.js';

export interface HostState {
  url: string;
  port: number;
  token: string;
  workDir: string;
}

export function hostState(): HostState {
  return JSON.parse(readFileSync(STATE_FILE, 'utf8')) as HostState;
}
