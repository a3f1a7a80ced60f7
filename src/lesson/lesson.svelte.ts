/**
 * The one running lesson of the app, whatever screen is shown: its player, the dock's look
 * (collapsed, width, instructor mode), the short notices the dock announces, and the way in
 * and out (start, continue, start over, leave). The lesson's lab is a saved lab of its own;
 * after a reload the workspace reopens it and the lesson resumes at its step without replaying.
 */
import type { LabApi } from '../../workers/lab/lab-api';
import type { LabDocument } from '../../workers/lab/lab-document';
import type { Scenario } from '../../workers/scenario/schema';
import type { AppContext } from '../lib/app-context';
import type { Workspace } from '../persistence/workspace.svelte';
import { findScenario, saveProgress } from '../share/library';
import { goalSentence } from './goal-sentence';
import { lessonPresence } from './lesson-presence.svelte';
import { lessonStateOf, readDockPrefs, runningLessonId, saveDockPrefs, saveLessonState, setRunningLesson, type LessonState } from './lesson-state';
import { ScenarioPlayer, type CheckMark, type PlayerHost } from './player.svelte';
import { lessonLabDocument, lessonLabName } from './lesson-lab';

class LessonStore {
  player = $state.raw<ScenarioPlayer | null>(null);
  collapsed = $state(false);
  width = $state(360);
  instructor = $state(false);
  /** The latest "goal met" / "step complete" notice, read out by the dock's status region. */
  notice = $state('');
  /** Set while a lesson is being opened (the dock shows it instead of a stale step). */
  opening = $state('');
  error = $state('');
  private app: AppContext | null = null;
  private ws: Workspace | null = null;
  private restored: Promise<void> | null = null;
  private openedAt: number | null = null;
  /** When the lab last reported a change, and the last change a running check saw: a goal's tick is timed from it. */
  private lastChangeAt: number | null = null;
  private changeBeforeCheck: number | null = null;
  /** True while the lesson itself switches labs: the dock must not take that for the learner leaving. */
  switching = false;

  constructor() {
    const prefs = readDockPrefs();
    this.collapsed = prefs.collapsed;
    this.width = prefs.width;
    this.instructor = prefs.instructor;
  }

  /** Connects the store to the app (once, from the dock) and resumes a lesson the last visit left running. */
  attach(app: AppContext, ws: Workspace): void {
    if (this.app) return;
    this.app = app;
    this.ws = ws;
  }

  /** Resumes the running lesson once the workspace has opened its lab (called when the lab is ready). */
  restore(): Promise<void> {
    this.restored ??= this.resumeRunning();
    return this.restored;
  }

  private async resumeRunning(): Promise<void> {
    const id = runningLessonId();
    if (!id || !this.ws) return;
    const state = lessonStateOf(id);
    if (!state || !state.labId || state.labId !== this.ws.labId) return;
    try {
      const scenario = await findScenario(id);
      const player = this.newPlayer(scenario);
      await player.resume(state);
    } catch (err) {
      this.error = `The lesson could not be resumed: ${(err as Error).message}`;
    }
  }

  /**
   * Opens a lesson at a step (route `#/scenario/<id>/step/N`): the running one moves there, a
   * lesson started before continues in its own lab, a new one starts in a new saved lab.
   * Returns the step shown (0-based), for the URL.
   */
  open(id: string, step?: number): Promise<number | null> {
    // One at a time: two routes asking for "the next step" at once must not both move it on.
    const next = this.opens.then(() => this.openNow(id, step));
    this.opens = next.catch(() => null);
    return next;
  }

  private opens: Promise<unknown> = Promise.resolve();

  private async openNow(id: string, step?: number): Promise<number | null> {
    await this.restore();
    const running = this.player;
    if (running && running.scenario.id === id) {
      // A step asked for while the lesson is busy (still opening its step) is taken once it is done.
      await running.idle();
      if (step === undefined || step === running.step) return running.step;
      if (step === running.step + 1 && running.complete) await running.next();
      else await running.start(step);
      return running.step;
    }
    this.opening = 'Opening the lesson…';
    this.error = '';
    try {
      const scenario = await findScenario(id);
      const saved = lessonStateOf(id);
      const player = this.newPlayer(scenario);
      if (saved?.labId && (await this.openLab(saved.labId))) {
        await player.resume(saved);
        if (step !== undefined && step !== saved.step) await player.start(step);
      } else {
        await player.start(step ?? 0, true);
      }
      return player.step;
    } catch (err) {
      this.error = (err as Error).message;
      return null;
    } finally {
      this.opening = '';
    }
  }

  /** "Start over": step 1, a fresh lab in the lesson's saved lab, hints and time reset. */
  async startOver(): Promise<void> {
    await this.player?.restart();
  }

  /** Closes the dock; the lesson's place is kept, so opening it again continues it. */
  leave(): void {
    this.player?.dispose();
    this.player = null;
    lessonPresence.running = false;
    setRunningLesson(null);
  }

  setCollapsed(collapsed: boolean): void {
    this.collapsed = collapsed;
    this.savePrefs();
  }

  setWidth(width: number): void {
    this.width = Math.round(width);
    this.savePrefs();
  }

  setInstructor(on: boolean): void {
    this.instructor = on;
    this.savePrefs();
  }

  /** The lab the running lesson lives in (null: unsaved). */
  get labId(): string | null {
    return this.player ? (lessonStateOf(this.player.scenario.id)?.labId ?? null) : null;
  }

  private savePrefs(): void {
    saveDockPrefs({ collapsed: this.collapsed, width: this.width, instructor: this.instructor });
  }

  private async openLab(labId: string): Promise<boolean> {
    const ws = this.ws!;
    if (ws.labId === labId && this.app?.session.api) return true;
    if (ws.mode === 'unsaved') return false;
    await ws.refreshList();
    if (!ws.labs.some((l) => l.id === labId)) return false;
    this.switching = true;
    try {
      return await ws.open(labId);
    } finally {
      this.switching = false;
    }
  }

  private newPlayer(scenario: Scenario): ScenarioPlayer {
    this.player?.dispose();
    const player = new ScenarioPlayer(scenario, this.host(scenario));
    this.player = player;
    lessonPresence.running = true;
    setRunningLesson(scenario.id);
    return player;
  }

  private host(scenario: Scenario): PlayerHost {
    const app = this.app!;
    const ws = this.ws!;
    let labId: string | null = lessonStateOf(scenario.id)?.labId ?? null;
    const bootInPlace = async (doc: LabDocument): Promise<LabApi | null> => {
      await ws.bootInPlace(doc);
      await app.afterOperation();
      return app.session.api;
    };
    const save = (state: LessonState) => {
      saveLessonState(state);
      saveProgress(state.scenarioId, { done: state.done, step: state.step });
    };
    return {
      boot: async (doc) => {
        // A lesson link as the first visit: the first lab is this lesson's, booted already. Its
        // first save goes on meanwhile; the lesson's state names the saved lab once it is done.
        if (await ws.claimFirstLab(scenario.id)) {
          const api = app.session.api;
          void ws.started.then(() => {
            const player = this.player;
            if (app.session.api !== api || !ws.labId || player?.scenario.id !== scenario.id) return;
            labId = ws.labId;
            save(player.state());
          });
          return api;
        }
        // A lesson opened while the first lab is still being saved (a quick click) waits to
        // know whether it can have a saved lab of its own.
        if (ws.mode === 'starting') await ws.started;
        if ((!labId || ws.labId !== labId) && ws.mode === 'editing') {
          this.switching = true;
          try {
            // Booted from the document as it is stored, not read back from IndexedDB.
            const made = await ws.startLab(doc, lessonLabName(scenario));
            if (made) labId = made.id;
            if (app.session.api) return app.session.api;
          } catch {
            /* storage unavailable: run the lab unsaved, below */
          } finally {
            this.switching = false;
          }
        }
        return bootInPlace(doc);
      },
      labDocument: lessonLabDocument,
      api: () => app.session.api,
      onChange: (listener) =>
        app.session.onChange(() => {
          this.lastChangeAt = typeof performance === 'undefined' ? null : performance.now();
          listener();
        }),
      // The lesson's own actions write through the lab API, not the screens' client: screens open
      // meanwhile (Installation while step 1 registers a partner) re-read what they show.
      afterOperation: () => {
        app.nsx.revision++;
        return app.afterOperation();
      },
      labId: () => labId,
      save,
      onGoalMet: (i) => {
        const goal = this.player?.current.goal?.[i];
        const player = this.player;
        if (!goal || !player) return;
        if (this.changeBeforeCheck !== null && typeof performance !== 'undefined') {
          performance.measure('lesson:change-to-tick', { start: this.changeBeforeCheck, end: performance.now() });
          this.changeBeforeCheck = null;
        }
        this.notice = player.complete ? `Step ${player.step + 1} complete: ${goalSentence(goal)}.` : `Goal met: ${goalSentence(goal)}.`;
      },
      checking: () => ws.postponeSave(),
      mark: (name, detail) => this.mark(name, detail),
    };
  }

  /** Timing marks the bench reads: from a step opening to its goals checked, from a lab change to the goal it ticks. */
  private mark(name: CheckMark, detail?: { waves: number }): void {
    if (typeof performance === 'undefined') return;
    performance.mark(`lesson:${name}`, { detail });
    if (name === 'step-open') this.openedAt = performance.now();
    // The last change the check saw: the one before its dry run began (the lab is then quiet).
    else if (name === 'dry-start') this.changeBeforeCheck = this.lastChangeAt;
    else if (name === 'goals-checked' && this.openedAt !== null) {
      performance.measure('lesson:open-to-goals', { start: this.openedAt, end: performance.now() });
      this.openedAt = null;
    }
  }
}

export const lesson = new LessonStore();
