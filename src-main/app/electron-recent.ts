import type { RecentProject } from '../../src-shared/ipc/contract.js';
import type { RecentBackend } from '../services/project/recent-store.js';

/** Recents in electron-store (ESM-only, so imported lazily). */
export class ElectronRecentBackend implements RecentBackend {
  private store: Promise<{ get(k: string): unknown; set(k: string, v: unknown): void }> | null = null;
  private open() {
    this.store ??= import('electron-store').then((m) => new m.default({ name: 'preferences' }) as unknown as { get(k: string): unknown; set(k: string, v: unknown): void });
    return this.store;
  }
  async read(): Promise<unknown> {
    return (await this.open()).get('recentProjects') ?? [];
  }
  async write(list: RecentProject[]): Promise<void> {
    (await this.open()).set('recentProjects', list);
  }
}
