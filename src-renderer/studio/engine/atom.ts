/**
 * A tiny observable value. The studio engine keeps each concern (playhead, view, selection,
 * document…) in its own atom so a component subscribes only to what it draws: scrubbing the
 * playhead re-renders the playhead and the previews, never the channel list.
 */
export class Atom<T> {
  private value: T;
  private readonly listeners = new Set<() => void>();

  constructor(initial: T) {
    this.value = initial;
  }

  get = (): T => this.value;

  set(next: T): void {
    if (Object.is(next, this.value)) return;
    this.value = next;
    for (const l of [...this.listeners]) l();
  }

  update(fn: (v: T) => T): void {
    this.set(fn(this.value));
  }

  subscribe = (l: () => void): (() => void) => {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  };
}
