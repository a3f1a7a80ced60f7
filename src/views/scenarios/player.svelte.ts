/* eslint-disable svelte/prefer-svelte-reactivity -- recorded results and step snapshots are plain data the UI never renders */
/**
 * The scenario player's state: which step, its goals (re-checked live on a copy of the lab, so
 * checking never disturbs the learner's lab), the hint ladder, and the step-start snapshot that
 * "Reset step" returns to. The lab itself is the app's open lab; the host boots it.
 */
import { Lab } from '../../../workers/lab/lab';
import { LabApi } from '../../../workers/lab/lab-api';
import type { LabDocument } from '../../../workers/lab/lab-document';
import { inProcessTransport } from '../../../workers/lab/transport';
import { evaluateGoals, labDocumentOf, playActions, type Line } from '../../../workers/scenario/engine';
import type { RecordedResult, Results } from '../../../workers/scenario/results';
import type { Scenario } from '../../../workers/scenario/schema';
import { progressOf, saveProgress } from '../../share/library';

export interface PlayerHost {
  /** Replaces the open lab with this document; resolves to its API once it runs. */
  boot(doc: LabDocument): Promise<LabApi | null>;
  /** The open lab's API (the learner may have changed it from any screen). */
  api(): LabApi | null;
  /** Called when anything in the open lab may have changed. */
  onChange(listener: () => void): () => void;
  /** After the player changed the lab: refresh what the screens show. */
  afterOperation(): Promise<void>;
}

/** LabApi keeps the names of open sessions itself; a copied or restored lab needs them too. */
type SessionNames = Map<string, string>;
const sessionsOf = (api: LabApi): SessionNames => (api as unknown as { sessions: SessionNames }).sessions;
const setSessions = (api: LabApi, names: SessionNames) => {
  (api as unknown as { sessions: SessionNames }).sessions = new Map(names);
};

export type GoalState = Line & { pending?: boolean };

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
  private results: Results = new Map();
  private stepStart: { doc: LabDocument; results: Results; sessions: SessionNames } | null = null;
  private unsubscribe: (() => void) | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;
  private evaluating = false;
  private again = false;

  constructor(
    readonly scenario: Scenario,
    private readonly host: PlayerHost,
  ) {
    this.done = progressOf(scenario.id).done;
  }

  get current() {
    return this.scenario.steps[this.step];
  }

  get complete(): boolean {
    const goals = this.current.goal ?? [];
    return goals.length === 0 || (this.goals.length === goals.length && this.goals.every((g) => g.ok && !g.pending));
  }

  get ladder(): number {
    return (this.current.hint?.length ?? 0) + (this.current.solution?.length ? 1 : 0);
  }

  /** Boots the scenario's lab and plays up to `step` (earlier steps with their solutions). */
  async start(step = 0): Promise<void> {
    await this.run('Starting the scenario’s lab…', async () => {
      const target = Math.max(0, Math.min(step, this.scenario.steps.length - 1));
      const api = await this.host.boot(labDocumentOf(this.scenario));
      if (!api) throw new Error('the scenario’s lab did not start');
      this.results = new Map();
      for (let i = 0; i < target; i++) {
        const s = this.scenario.steps[i];
        await playActions(api, s.do ?? [], this.results, i + 1, 'do');
        await playActions(api, s.solution ?? [], this.results, i + 1, 'solution');
      }
      await this.enter(api, target);
    });
    this.watch();
  }

  async next(): Promise<void> {
    if (this.step + 1 >= this.scenario.steps.length) return;
    await this.run('Starting the next step…', async () => {
      const api = this.requireApi();
      await this.enter(api, this.step + 1);
    });
  }

  /** Back to how the lab was when this step started (then its scripted actions again). */
  async resetStep(): Promise<void> {
    const start = this.stepStart;
    if (!start) return;
    await this.run('Resetting the step…', async () => {
      const api = await this.host.boot(structuredClone(start.doc));
      if (!api) throw new Error('the lab did not restart');
      setSessions(api, start.sessions);
      this.results = new Map(start.results);
      await this.enter(api, this.step);
    });
  }

  async restart(): Promise<void> {
    this.done = [];
    saveProgress(this.scenario.id, { done: [], step: 0 });
    await this.start(0);
  }

  reveal(): void {
    if (this.revealed < this.ladder) this.revealed++;
  }

  /** Plays the step's solution on the learner's lab. */
  async showMe(): Promise<void> {
    await this.run('Playing the solution…', async () => {
      const api = this.requireApi();
      this.revealed = this.ladder;
      this.played = [...this.played, ...(await playActions(api, this.current.solution ?? [], this.results, this.step + 1, 'solution'))];
      await this.host.afterOperation();
    });
    await this.evaluate();
  }

  /** Re-checks the goals on a copy of the lab as it is now. */
  async evaluate(): Promise<void> {
    if (this.evaluating) {
      this.again = true;
      return;
    }
    const api = this.host.api();
    const goals = this.current.goal ?? [];
    if (!api || goals.length === 0) {
      this.goals = [];
      this.markDone();
      return;
    }
    this.evaluating = true;
    try {
      const copy = new LabApi(await Lab.boot(await api.lab.snapshot(), inProcessTransport));
      setSessions(copy, sessionsOf(api));
      const stepNo = this.step;
      const lines = await evaluateGoals(copy, this.current, new Map(this.results), stepNo + 1);
      copy.lab.dispose();
      if (stepNo === this.step) this.goals = lines;
      this.markDone();
    } catch (err) {
      this.error = `Goals could not be checked: ${(err as Error).message}`;
    } finally {
      this.evaluating = false;
      if (this.again) {
        this.again = false;
        void this.evaluate();
      }
    }
  }

  dispose(): void {
    this.unsubscribe?.();
    if (this.timer) clearTimeout(this.timer);
  }

  /** Recorded results, for the instructor view. */
  resultNames(): [string, RecordedResult][] {
    return [...this.results];
  }

  private async enter(api: LabApi, index: number): Promise<void> {
    this.step = index;
    this.revealed = 0;
    this.goals = (this.scenario.steps[index].goal ?? []).map((_, i) => ({ ok: false, pending: true, step: index + 1, kind: 'goal', index: i + 1, label: '' }));
    this.stepStart = { doc: await api.lab.snapshot(), results: new Map(this.results), sessions: new Map(sessionsOf(api)) };
    this.played = await playActions(api, this.current.do ?? [], this.results, index + 1, 'do');
    saveProgress(this.scenario.id, { done: this.done, step: index });
    await this.host.afterOperation();
    await this.evaluate();
  }

  private markDone(): void {
    if (this.complete && (this.current.goal?.length ?? 0) > 0 && !this.done.includes(this.step)) {
      this.done = [...this.done, this.step].sort((a, b) => a - b);
      saveProgress(this.scenario.id, { done: this.done, step: this.step });
    }
  }

  private watch(): void {
    this.unsubscribe?.();
    this.unsubscribe = this.host.onChange(() => {
      if (this.busy) return;
      if (this.timer) clearTimeout(this.timer);
      this.timer = setTimeout(() => void this.evaluate(), 400);
    });
  }

  private requireApi(): LabApi {
    const api = this.host.api();
    if (!api) throw new Error('the lab is not running');
    return api;
  }

  private async run(label: string, work: () => Promise<void>): Promise<void> {
    this.busy = label;
    this.error = '';
    try {
      await work();
    } catch (err) {
      this.error = (err as Error).message;
    } finally {
      this.busy = '';
    }
  }
}
