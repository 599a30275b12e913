import { Atom } from './atom.js';

export type SaveState = { kind: 'saved'; at: string | null } | { kind: 'pending' } | { kind: 'saving' } | { kind: 'error'; error: unknown };

/**
 * Debounced persistence: the latest value is written `delayMs` after the last change, one
 * write at a time, and flush() writes now (on blur, unload, unmount). A failed write keeps
 * the value pending so the next change or flush retries it.
 */
export class Saver<T> {
  readonly state = new Atom<SaveState>({ kind: 'saved', at: null });
  private pending: { value: T } | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private inFlight: Promise<void> | null = null;

  constructor(
    private readonly write: (value: T) => Promise<string>,
    private readonly delayMs = 300,
  ) {}

  schedule(value: T): void {
    this.pending = { value };
    this.state.set({ kind: 'pending' });
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.delayMs);
  }

  get dirty(): boolean {
    return this.pending !== null;
  }

  async flush(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.inFlight) await this.inFlight;
    const p = this.pending;
    if (!p) return;
    this.pending = null;
    this.state.set({ kind: 'saving' });
    this.inFlight = this.write(p.value)
      .then((at) => {
        if (!this.pending) this.state.set({ kind: 'saved', at });
      })
      .catch((error: unknown) => {
        this.pending ??= p;
        this.state.set({ kind: 'error', error });
      })
      .finally(() => {
        this.inFlight = null;
      });
    await this.inFlight;
    if (this.pending && this.state.get().kind !== 'error') await this.flush();
  }

  /** flush(), then fails with the write's error while the edits are still unsaved (closing a project must know). */
  async flushOrThrow(): Promise<void> {
    await this.flush();
    const st = this.state.get();
    if (this.pending && st.kind === 'error') throw st.error;
  }

  dispose(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
