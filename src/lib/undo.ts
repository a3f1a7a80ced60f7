/**
 * Undo/redo over whole snapshots. Firewall working copies are small (tens of rules), so
 * snapshots are simpler and safer than inverse operations.
 */
export class UndoStack<T> {
  private past: { label: string; state: T }[] = [];
  private future: { label: string; state: T }[] = [];

  constructor(private readonly limit = 100) {}

  /** Remembers `before` as the state to return to, labelled with the edit that changes it. */
  record(label: string, before: T): void {
    this.past.push({ label, state: before });
    if (this.past.length > this.limit) this.past.shift();
    this.future = [];
  }

  undo(current: T): T | undefined {
    const step = this.past.pop();
    if (!step) return undefined;
    this.future.push({ label: step.label, state: current });
    return step.state;
  }

  redo(current: T): T | undefined {
    const step = this.future.pop();
    if (!step) return undefined;
    this.past.push({ label: step.label, state: current });
    return step.state;
  }

  get canUndo(): boolean {
    return this.past.length > 0;
  }

  get canRedo(): boolean {
    return this.future.length > 0;
  }

  get undoLabel(): string | undefined {
    return this.past.at(-1)?.label;
  }

  get redoLabel(): string | undefined {
    return this.future.at(-1)?.label;
  }

  /** Rewrites every remembered state, e.g. when the working copy is rebased onto a newer configuration. */
  map(fn: (state: T) => T): void {
    this.past = this.past.map((s) => ({ ...s, state: fn(s.state) }));
    this.future = this.future.map((s) => ({ ...s, state: fn(s.state) }));
  }

  clear(): void {
    this.past = [];
    this.future = [];
  }
}
