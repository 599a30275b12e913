import type { TimelineDoc } from '../evaluate/evaluate.js';
import { applyCommand, parseCommand, type Command } from './commands.js';

/**
 * Undo/redo over the timeline document, in the manner of tldraw's history manager: one
 * entry per user gesture, several commands grouped by a transaction. Documents are
 * immutable and structurally shared, so an entry keeps the documents before and after
 * (cheap) and undo/redo are exact by construction; the commands are kept for logging and
 * replay.
 */
export interface HistoryEntry {
  label: string;
  commands: Command[];
  before: TimelineDoc;
  after: TimelineDoc;
  /** Steps with the same key within `windowMs` of each other join into one (key nudges). */
  merge?: { key: string; at: number; windowMs: number };
  /** What the UI wants back on undo/redo (the selection); the history only carries it. */
  meta?: Record<string, unknown>;
}

/** Joins a step into the previous one when both carry the same merge key close enough in time. */
export interface MergeSpec {
  key: string;
  at: number;
  windowMs: number;
}

type Listener = (doc: TimelineDoc) => void;

export class History {
  private current: TimelineDoc;
  private readonly undos: HistoryEntry[] = [];
  private redos: HistoryEntry[] = [];
  private open: HistoryEntry | null = null;
  private readonly listeners = new Set<Listener>();

  constructor(
    doc: TimelineDoc,
    private readonly limit = 500,
  ) {
    this.current = doc;
  }

  get doc(): TimelineDoc {
    return this.current;
  }
  get canUndo(): boolean {
    return this.open === null && this.undos.length > 0;
  }
  get canRedo(): boolean {
    return this.open === null && this.redos.length > 0;
  }
  get undoLabel(): string | undefined {
    return this.undos.at(-1)?.label;
  }
  get redoLabel(): string | undefined {
    return this.redos.at(-1)?.label;
  }
  /** The step undo would revert, and the one redo would re-apply (for their meta). */
  get undoEntry(): HistoryEntry | undefined {
    return this.undos.at(-1);
  }
  get redoEntry(): HistoryEntry | undefined {
    return this.redos.at(-1);
  }

  /** Validates and applies a command; throws (leaving the document unchanged) if it is invalid or hits a locked channel. */
  execute(raw: Command | unknown, label?: string): TimelineDoc {
    const cmd = parseCommand(raw);
    const before = this.current;
    const after = applyCommand(before, cmd);
    if (this.open) {
      this.open.commands.push(cmd);
      this.open.after = after;
      this.current = after;
    } else {
      this.push({ label: label ?? cmd.type, commands: [cmd], before, after });
    }
    this.emit();
    return after;
  }

  /**
   * Runs fn with every command it executes grouped into one undo step. If fn throws, the
   * document returns to where it was and nothing is recorded. Nested calls join the outer one.
   * With `merge`, a step that follows one with the same merge key within its window joins it
   * (one undo step for a burst of nudges), keeping the earlier step's `before` and meta.
   */
  transact<T>(label: string, fn: () => T, merge?: MergeSpec): T {
    if (this.open) return fn();
    const entry: HistoryEntry = { label, commands: [], before: this.current, after: this.current, ...(merge ? { merge } : {}) };
    this.open = entry;
    try {
      const r = fn();
      this.open = null;
      if (entry.commands.length > 0) this.push(entry);
      return r;
    } catch (e) {
      this.open = null;
      this.current = entry.before;
      this.emit();
      throw e;
    }
  }

  undo(): boolean {
    if (!this.canUndo) return false;
    const e = this.undos.pop()!;
    this.redos.push(e);
    this.current = e.before;
    this.emit();
    return true;
  }

  redo(): boolean {
    if (!this.canRedo) return false;
    const e = this.redos.pop()!;
    this.undos.push(e);
    this.current = e.after;
    this.emit();
    return true;
  }

  /** Replaces the document outside history (e.g. a new base track after re-tracking) and forgets the stacks. */
  reset(doc: TimelineDoc): void {
    this.current = doc;
    this.undos.length = 0;
    this.redos = [];
    this.open = null;
    this.emit();
  }

  subscribe(l: Listener): () => void {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }

  private push(entry: HistoryEntry): void {
    const last = this.undos.at(-1);
    if (entry.merge && last?.merge && this.redos.length === 0 && last.merge.key === entry.merge.key && entry.merge.at - last.merge.at <= entry.merge.windowMs) {
      last.commands.push(...entry.commands);
      last.after = entry.after;
      last.merge = entry.merge;
      this.current = entry.after;
      return;
    }
    this.current = entry.after;
    this.undos.push(entry);
    if (this.undos.length > this.limit) this.undos.shift();
    this.redos = [];
  }

  private emit(): void {
    for (const l of this.listeners) l(this.current);
  }
}
