/* eslint-disable svelte/prefer-svelte-reactivity -- recorded results and step snapshots are plain data the UI never renders */
/**
 * The running lesson's player: which step, its goals (checked on the learner's lab as a dry run,
 * which leaves it as it was: see Lab.dryRun), the hint ladder, the step-start
 * checkpoint "Reset step" returns to (kept in the lab's units), and what the learner has done so far (saved, see
 * lesson-state.ts, so a reload lands on the same step in the same lab).
 */
import type { LabApi } from '../../workers/lab/lab-api';
import type { LabDocument } from '../../workers/lab/lab-document';
import { evaluateGoals, labDocumentOf, playActions, type Line } from '../../workers/scenario/engine';
import type { Action } from '../../workers/scenario/schema';
import type { RecordedResult, Results } from '../../workers/scenario/results';
import type { Scenario } from '../../workers/scenario/schema';
import type { LessonState } from './lesson-state';

export interface PlayerHost {
  /** Replaces the open lab with this document (in a new saved lab when the lesson has none yet); resolves to its API once it runs. */
  boot(doc: LabDocument): Promise<LabApi | null>;
  /** The lab the scenario starts in (labDocumentOf unless the host has a ready copy of it). */
  labDocument?(scenario: Scenario): LabDocument;
  /** The open lab's API (the learner may have changed it from any screen). */
  api(): LabApi | null;
  /** Called when anything in the open lab may have changed. */
  onChange(listener: () => void): () => void;
  /** After the player changed the lab: refresh what the screens show. */
  afterOperation(): Promise<void>;
  /** The saved lab the lesson runs in, once it has one. */
  labId(): string | null;
  /** Something worth saving changed (step, hints, results, progress). */
  save(state: LessonState): void;
  /** A goal became true. */
  onGoalMet?(sentence: number): void;
  /** A goal check starts: the learner waits for its answer (a due save waits for it). */
  checking?(): void;
  /**
   * Timing marks for the bench: a step opened, a check started, its dry run began (the lab was
   * free), its checks were answered (`waves`: the lab's waves they took), the dry run was undone,
   * its goals were shown (before the undo ends).
   */
  mark?(name: CheckMark, detail?: { waves: number }): void;
}

export type GoalState = Line & { pending?: boolean };

export type CheckMark = 'step-open' | 'check-start' | 'dry-start' | 'dry-checked' | 'dry-end' | 'goals-checked';

/**
 * Keeps the lab's step start in its units (Lab.checkpoint: no copy of the lab comes to the
 * page) after what is already due has run. Messages still queued at that instant (a lab just
 * booted has some) do not come back alike in a restored copy — its probes then meet no filter —
 * so the checkpoint is taken once the lab is quiet at its current time.
 */
async function settledCheckpoint(api: LabApi): Promise<void> {
  await api.lab.settle();
  await api.lab.checkpoint();
}

/** Wall time is the learner's (the summary says how long the lesson took), not the lab's. */
const wallNow = () => Date.now();

export class ScenarioPlayer {
  step = $state(0);
  goals = $state<GoalState[]>([]);
  /** How far up the hint ladder the learner has asked: hints, then the solution. */
  revealed = $state(0);
  busy = $state('');
  error = $state('');
  /** What the step's scripted actions (and "show me") did. */
  played = $state<Line[]>([]);
  done = $state<number[]>([]);
  /** Hints (and solutions) revealed over the whole lesson, for the summary. */
  hintsUsed = $state(0);
  startedAt = $state(0);
  finishedAt = $state<number | null>(null);
  private results: Results = new Map();
  /** The lab whose checkpoint is this step's start (Lab.checkpoint), with the results recorded by then. */
  private stepStart: { lab: LabApi['lab']; results: Results } | null = null;
  private unsubscribe: (() => void) | null = null;
  private disposed = false;
  /**
   * The lab as the last check saw it: its waves run and clock (when neither moved, nothing a
   * goal reads did) and the step. A change report on an unmoved lab (the screens re-reading it)
   * then needs no check.
   */
  private seen: { waves: number; now: number; step: number } | null = null;

  constructor(
    readonly scenario: Scenario,
    private readonly host: PlayerHost,
  ) {}

  get current() {
    return this.scenario.steps[this.step];
  }

  get last(): boolean {
    return this.step + 1 >= this.scenario.steps.length;
  }

  /** Derived once per change of the step or its goals: the dock reads it in several places each render. */
  readonly complete: boolean = $derived.by(() => {
    const goals = this.scenario.steps[this.step].goal ?? [];
    return goals.length === 0 || (this.goals.length === goals.length && this.goals.every((g) => g.ok && !g.pending));
  });

  get finished(): boolean {
    return this.finishedAt !== null;
  }

  get ladder(): number {
    return (this.current.hint?.length ?? 0) + (this.current.solution?.length ? 1 : 0);
  }

  /** Boots the scenario's lab and plays up to `step` (earlier steps with their solutions). */
  async start(step = 0, fresh = false): Promise<void> {
    await this.run('Starting the lesson’s lab…', async () => {
      const target = Math.max(0, Math.min(step, this.scenario.steps.length - 1));
      const api = await this.host.boot(this.host.labDocument?.(this.scenario) ?? labDocumentOf(this.scenario));
      if (!api) throw new Error('the lesson’s lab did not start');
      this.results = new Map();
      if (fresh) {
        this.startedAt = wallNow();
        this.finishedAt = null;
        this.hintsUsed = 0;
        this.done = [];
      }
      for (let i = 0; i < target; i++) {
        const s = this.scenario.steps[i];
        await playActions(api, s.do ?? [], this.results, i + 1, 'do');
        await playActions(api, s.solution ?? [], this.results, i + 1, 'solution');
      }
      await this.enter(api, target);
    });
    this.watch();
  }

  /** Continues a saved lesson in its own lab, already open (restored by the workspace): nothing is replayed. */
  async resume(state: LessonState): Promise<void> {
    this.step = Math.max(0, Math.min(state.step, this.scenario.steps.length - 1));
    this.revealed = state.revealed;
    this.done = [...state.done];
    this.hintsUsed = state.hintsUsed;
    this.startedAt = state.startedAt;
    this.finishedAt = state.finishedAt;
    this.results = new Map(state.results);
    this.stepStart = null;
    this.goals = this.pendingGoals(this.step);
    this.watch();
    this.host.mark?.('step-open');
    await this.evaluate();
  }

  async next(): Promise<void> {
    if (this.last) return;
    await this.run('Opening the next step…', async () => {
      await this.enter(this.requireApi(), this.step + 1);
    });
  }

  /** Back to how the lab was when this step started (then its scripted actions again). */
  async resetStep(): Promise<void> {
    const start = this.stepStart;
    // The step start is read back from the lab's units only now, on the learner's request.
    const doc = start && start.lab === this.host.api()?.lab ? await start.lab.checkpointDocument() : null;
    if (!start || !doc) {
      // After a reload (or in another lab) the step's starting lab is not kept: replay the lesson up to this step.
      await this.start(this.step);
      return;
    }
    await this.run('Resetting the step…', async () => {
      const api = await this.host.boot(doc);
      if (!api) throw new Error('the lab did not restart');
      this.results = new Map(start.results);
      await this.enter(api, this.step);
    });
  }

  /** Starts the lesson over from step 1 in the same saved lab. */
  async restart(): Promise<void> {
    await this.start(0, true);
  }

  reveal(): void {
    if (this.revealed < this.ladder) {
      this.revealed++;
      this.hintsUsed++;
      this.save();
    }
  }

  /**
   * Plays the step's solution on the learner's lab, one action at a time; `before` runs ahead of
   * each action (the dock shows where it happens, slowly enough to follow).
   */
  async showMe(before?: (a: Action, index: number) => Promise<void>): Promise<void> {
    await this.run('Showing the solution…', async () => {
      const api = this.requireApi();
      if (this.revealed < this.ladder) {
        this.hintsUsed += this.ladder - this.revealed;
        this.revealed = this.ladder;
      }
      const solution = this.current.solution ?? [];
      for (const [i, a] of solution.entries()) {
        await before?.(a, i);
        const lines = await playActions(api, [a], this.results, this.step + 1, 'solution');
        this.played = [...this.played, ...lines.map((l) => ({ ...l, index: i + 1 }))];
        await this.host.afterOperation();
      }
      this.save();
    });
    await this.evaluate();
  }

  /**
   * Re-checks the goals on the lab as it is now, as a dry run. Resolves once a check that began
   * after this call is over. With no check under way the check claims the lab at once (ahead of
   * the screens' refresh); calls that come while one runs share one queued check, so a burst of
   * changes costs one more check, not one each.
   */
  evaluate(): Promise<void> {
    return this.schedule(true);
  }

  /** A check for a lab change: none when the lab has not moved since the last check saw it (same step). */
  private recheck(): void {
    void this.schedule(false);
  }

  private unchanged(): boolean {
    const lab = this.host.api()?.lab;
    return !!lab && this.seen?.waves === lab.wavesRun && this.seen.now === lab.now && this.seen.step === this.step;
  }

  private schedule(always: boolean): Promise<void> {
    if (this.queued) {
      this.queuedAlways ||= always;
      return this.queued;
    }
    if (!this.running) return always || !this.unchanged() ? this.startCheck() : Promise.resolve();
    this.queuedAlways = always;
    const run = this.running.then(() => {
      this.queued = null;
      return this.queuedAlways || !this.unchanged() ? this.startCheck() : undefined;
    });
    this.queued = run;
    return run;
  }

  private queued: Promise<void> | null = null;
  private queuedAlways = false;
  private running: Promise<void> | null = null;

  private startCheck(): Promise<void> {
    const check: Promise<void> = this.evaluateOnce().finally(() => {
      if (this.running === check) this.running = null;
    });
    this.running = check;
    return check;
  }

  private async evaluateOnce(): Promise<void> {
    const api = this.host.api();
    const goals = this.current.goal ?? [];
    if (!api || goals.length === 0) {
      this.goals = [];
      this.markDone();
      this.host.mark?.('goals-checked');
      return;
    }
    this.host.mark?.('check-start');
    this.host.checking?.();
    const stepNo = this.step;
    let shown = false;
    // The goals show as soon as the checks have answered; undoing the dry run comes after.
    const show = (lines: Line[]) => {
      if (shown || stepNo !== this.step || this.disposed) return;
      shown = true;
      const before = this.goals;
      this.goals = lines;
      lines.forEach((l, i) => {
        if (l.ok && before[i] && !before[i].ok && !before[i].pending) this.host.onGoalMet?.(i);
      });
      this.markDone();
      this.host.mark?.('goals-checked');
    };
    try {
      const step = $state.snapshot(this.current) as typeof this.current;
      let wavesBefore = api.lab.wavesRun;
      const lines = await evaluateGoals(api, step, new Map(this.results), stepNo + 1, undefined, {
        started: () => {
          wavesBefore = api.lab.wavesRun;
          this.host.mark?.('dry-start');
        },
        checked: (answered) => {
          // Read while the dry run still holds the lab (the undo runs no wave): a dry run's own
          // waves move nothing, so the lab is as the check saw it for as long as this count holds.
          this.seen = { waves: api.lab.wavesRun, now: api.lab.now, step: stepNo };
          this.host.mark?.('dry-checked', { waves: api.lab.wavesRun - wavesBefore });
          show(answered);
        },
      });
      this.host.mark?.('dry-end');
      show(lines);
    } catch (err) {
      this.seen = null;
      this.error = `Goals could not be checked: ${(err as Error).message}`;
    }
  }

  dispose(): void {
    this.disposed = true;
    this.unsubscribe?.();
  }

  /** Recorded results, for the instructor view. */
  resultNames(): [string, RecordedResult][] {
    return [...this.results];
  }

  /** What is saved so the lesson survives a reload. */
  state(): LessonState {
    return {
      scenarioId: this.scenario.id,
      labId: this.host.labId(),
      step: this.step,
      revealed: this.revealed,
      done: [...this.done],
      hintsUsed: this.hintsUsed,
      startedAt: this.startedAt,
      finishedAt: this.finishedAt,
      results: [...this.results].map(([k, v]) => [k, $state.snapshot(v) as RecordedResult]),
    };
  }

  private save(): void {
    if (!this.disposed) this.host.save(this.state());
  }

  private pendingGoals(index: number): GoalState[] {
    return (this.scenario.steps[index].goal ?? []).map((_, i) => ({ ok: false, pending: true, step: index + 1, kind: 'goal' as const, index: i + 1, label: '' }));
  }

  private async enter(api: LabApi, index: number): Promise<void> {
    this.host.mark?.('step-open');
    this.step = index;
    this.revealed = 0;
    this.goals = this.pendingGoals(index);
    const scripted = this.current.do ?? [];
    const results = new Map(this.results);
    if (scripted.length) await settledCheckpoint(api);
    this.played = scripted.length ? await playActions(api, scripted, this.results, index + 1, 'do') : [];
    // The check claims the lab first; the screens' refresh queues behind it, and the save waits for neither.
    const checked = this.evaluate();
    this.save();
    // (Its failure is kept, not thrown, until something waits for it.)
    const refreshed = this.host.afterOperation().then(() => null, (err: Error) => err);
    await checked;
    // Without scripted actions the lab at step start is the lab now (the goal check was a dry
    // run), so the checkpoint "Reset step" returns to is taken after the goals (and the refresh,
    // as the lab's queue had them), not before them.
    if (!scripted.length) {
      const failed = await refreshed;
      if (failed) throw failed;
      await settledCheckpoint(api);
    }
    this.stepStart = { lab: api.lab, results };
    // The step shows and Next is enabled once its goals are checked: the screens' refresh and the
    // pre-check of the next step go on while the learner reads (the next operation waits for them).
    this.afterwards = async () => {
      await refreshed; // a screen says itself what it could not read
      await this.warmUp(api, index);
    };
  }

  /** The lab whose workers a pre-check has run in (see warmUp). */
  private warmed: LabApi['lab'] | null = null;

  /**
   * On a read step (no goals), once per lab: checks the next step's goals as a dry run while the
   * learner reads, and drops what it found. A new lab's workers have never carried traffic, so
   * their first check runs cold code (each worker compiles the data path's functions on first
   * call: ~30 ms a host in Chromium); this one pays that instead of the step the learner opens
   * next. Nothing is kept: that step's own check runs in full when it opens (the lab may change
   * meanwhile), and a dry run leaves the lab as it was.
   */
  private async warmUp(api: LabApi, index: number): Promise<void> {
    const next = this.scenario.steps[index + 1];
    if ((this.current.goal?.length ?? 0) > 0 || !next?.goal?.length || this.warmed === api.lab) return;
    this.warmed = api.lab;
    try {
      await evaluateGoals(api, next, new Map(this.results), index + 2);
    } catch {
      // Only a warm-up: the step's own check reports what goes wrong.
    }
  }

  private markDone(): void {
    let changed = false;
    if (this.complete && (this.current.goal?.length ?? 0) > 0 && !this.done.includes(this.step)) {
      this.done = [...this.done, this.step].sort((a, b) => a - b);
      changed = true;
    }
    if (this.last && this.complete && this.finishedAt === null) {
      this.finishedAt = wallNow();
      changed = true;
    }
    if (changed) this.save();
  }

  private watch(): void {
    this.unsubscribe?.();
    // Event-driven: a change starts a check at once (it runs when the lab is free), no timer.
    this.unsubscribe = this.host.onChange(() => {
      if (this.busy || this.disposed) return;
      this.recheck();
    });
  }

  private requireApi(): LabApi {
    const api = this.host.api();
    if (!api) throw new Error('the lab is not running');
    return api;
  }

  /** Resolves once the operation under way (start, next, reset, show me) is over. */
  idle(): Promise<void> {
    return this.operation;
  }

  private operation: Promise<void> = Promise.resolve();

  /**
   * What runs once the operation under way is over and the dock usable again (a read step's
   * pre-check of the next step): the next operation waits for it, the learner does not.
   */
  private afterwards: (() => Promise<void>) | null = null;

  private async run(label: string, work: () => Promise<void>): Promise<void> {
    // Busy from the call, not from the queue's next microtask: the dock rendered in between would
    // offer Next on a read step whose lab is not started yet.
    if (!this.busy) this.busy = label;
    const done = this.operation.then(async () => {
      this.busy = label;
      this.error = '';
      try {
        await work();
      } catch (err) {
        this.error = (err as Error).message;
      } finally {
        this.busy = '';
      }
    });
    // The queue never rejects: a failed follow-up must not stop every later operation.
    this.operation = done
      .then(() => {
        const after = this.afterwards;
        this.afterwards = null;
        return after?.();
      })
      .catch(() => undefined);
    await done;
  }
}
