/**
 * Debounced saving of the open lab: many changes in a burst give one save, saves never
 * overlap (each one snapshots the lab afresh), and a failure is kept so the screen can say so.
 */
import { asError } from '../../workers/protocol/outside';

export type SaveState = 'idle' | 'pending' | 'saving' | 'saved' | 'failed';

interface AutosaveStatus {
  state: SaveState;
  /** The failure of the last save, empty once a save succeeds again. */
  error: Error | null;
}

export class Autosave {
  private timer: ReturnType<typeof setTimeout> | undefined;
  private chain: Promise<void> = Promise.resolve();
  private status: AutosaveStatus = { state: 'idle', error: null };

  constructor(
    private readonly save: () => Promise<void>,
    private readonly onStatus: (status: AutosaveStatus) => void = () => {},
    private readonly delayMs = 600,
  ) {}

  get state(): SaveState {
    return this.status.state;
  }

  /** Something changed: save after a quiet moment. */
  schedule(): void {
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.delayMs);
    if (this.status.state !== 'saving') this.set({ state: 'pending', error: this.status.error });
  }

  /**
   * Something the learner watches is under way (a lesson's goal check): a save that is due waits
   * another quiet moment rather than compete with it for the lab's workers. Nothing due, nothing to do.
   */
  postpone(): void {
    if (this.timer === undefined) return;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), this.delayMs);
  }

  /** Saves now (after a save already running), e.g. before the lab is closed. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    const run = this.chain.then(() => this.run());
    this.chain = run;
    return run;
  }

  /** Forgets a scheduled save, e.g. when the lab is deleted or replaced. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.status.state === 'pending') this.set({ state: 'idle', error: null });
  }

  private async run(): Promise<void> {
    this.set({ state: 'saving', error: this.status.error });
    try {
      await this.save();
      this.set({ state: this.timer ? 'pending' : 'saved', error: null });
    } catch (error) {
      this.set({ state: 'failed', error: asError(error) });
    }
  }

  private set(status: AutosaveStatus): void {
    this.status = status;
    this.onStatus(status);
  }
}
