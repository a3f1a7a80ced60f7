/**
 * The lab clock's two modes, as Packet Tracer's Realtime and Simulation: in *realtime* (the
 * default) the lab's virtual clock follows wall time while the tab is shown, so heartbeats,
 * flow records and threshold samples arrive when they would; in *simulation* it stands still
 * until the learner steps it. Wall time lives here, in the UI: it reaches the lab only as
 * recorded advances (workers/lab/action-log.ts), so the lab stays deterministic.
 */
import type { LabApi } from '../../workers/lab/lab-api';

export type ClockMode = 'realtime' | 'simulation';

/** Where the choice is kept (this browser); end-to-end tests set it to freeze the clock. */
const CLOCK_MODE_KEY = 'dfw-lab.clock-mode';
/** A tab that was hidden, or a lab that was busy, does not catch up more than this at once. */
export const MAX_CATCH_UP_MS = 5_000;

export interface ClockHost {
  /** Wall time in ms (performance.now in the app). */
  now(): number;
  hidden(): boolean;
  every(ms: number, run: () => void): () => void;
  load(): string | null;
  save(mode: ClockMode): void;
}

const browserHost: ClockHost = {
  now: () => performance.now(),
  hidden: () => document.visibilityState === 'hidden',
  every: (ms, run) => {
    const id = setInterval(run, ms);
    return () => clearInterval(id);
  },
  load: () => {
    try {
      return localStorage.getItem(CLOCK_MODE_KEY);
    } catch {
      return null;
    }
  },
  save: (mode) => {
    try {
      localStorage.setItem(CLOCK_MODE_KEY, mode);
    } catch {
      // Storage blocked: the mode holds for this visit.
    }
  },
};

/** What the driver reads and writes: the screens' reactive state in the app, a plain object in tests. */
export interface ClockState {
  mode: ClockMode;
  /** An advance the learner asked for is running. */
  advancing: boolean;
}

/** The lab as the clock sees it: LabSession in the app. */
export interface ClockSession {
  status: string;
  /** False while the lab's units load: wall time spent starting workers is not lab time. */
  live?: boolean;
  api: Pick<LabApi, 'advanceClock' | 'step' | 'wait' | 'lab'> | null;
  clock: number;
}

export class ClockDriver {
  private last: number;
  private ticking = false;

  constructor(
    private readonly state: ClockState,
    private readonly session: ClockSession,
    private readonly host: ClockHost = browserHost,
    readonly tickMs = 1_000,
  ) {
    state.mode = host.load() === 'simulation' ? 'simulation' : 'realtime';
    this.last = host.now();
  }

  get mode(): ClockMode {
    return this.state.mode;
  }

  /** Starts following wall time; returns the stop function. */
  start(): () => void {
    return this.host.every(this.tickMs, () => void this.tick());
  }

  set(mode: ClockMode): void {
    this.state.mode = mode;
    this.last = this.host.now();
    this.host.save(mode);
  }

  /** One wall-clock tick: in realtime, the lab clock moves by the time since the last one. */
  async tick(): Promise<void> {
    const now = this.host.now();
    const api = this.session.api;
    if (this.mode !== 'realtime' || this.host.hidden() || this.session.status !== 'ready' || this.session.live === false || !api || this.ticking) {
      if (!this.ticking) this.last = now;
      return;
    }
    const ms = Math.min(MAX_CATCH_UP_MS, Math.max(0, Math.round(now - this.last)));
    this.last = now;
    if (!ms) return;
    this.ticking = true;
    try {
      await api.advanceClock(ms);
      this.session.clock = api.lab.now;
    } finally {
      this.ticking = false;
    }
  }

  /** Simulation's controls (they work in realtime too): jump ahead, or run to the next scheduled message. */
  async advance(seconds: number | 'step'): Promise<void> {
    const api = this.session.api;
    if (!api || this.state.advancing) return;
    this.state.advancing = true;
    try {
      if (seconds === 'step') await api.step();
      else await api.wait(seconds);
      this.session.clock = api.lab.now;
    } finally {
      this.state.advancing = false;
    }
  }
}
