/**
 * When the service worker may be registered. Its first install downloads the whole build and
 * Chromium compiles each cached script on the service worker's thread: on a two-core machine
 * that takes the CPU the lab's seven workers start with and a lesson's first goal checks run on.
 * So it waits until the lab answers (`live`) and for `quietMs` has run no wave, saved nothing and
 * the page has had no long task (a lesson loads its code, saves the first lab and opens its own
 * between its waves), then for an idle moment of the page; `maxWaitMs` bounds the wait (a lab
 * that never settles, or failed to start).
 */

/** What the wait reads of the open lab, polled (LabSession in the app). */
export interface LabActivity {
  /** The lab's units answer (a failed lab counts as settled: nothing more will run). */
  live: boolean;
  failed: boolean;
  /** Waves run so far (Lab.wavesRun): a change means the lab was busy since the last look. */
  waves: number;
  /** A save is due or under way (the workers serialise, the page writes IndexedDB). */
  saving: boolean;
}

export interface SettleHost {
  now(): number;
  /** Long tasks of the page's main thread seen so far (a change means the page was busy). */
  longTasks(): number;
  /** Runs `run` after `ms`. */
  after(ms: number, run: () => void): void;
  /** Runs `run` when the page is idle, or after `timeoutMs` at the latest. */
  idle(run: () => void, timeoutMs: number): void;
}

interface SettleOptions {
  quietMs: number;
  maxWaitMs: number;
  pollMs: number;
  idleTimeoutMs: number;
}

const SETTLE_DEFAULTS: SettleOptions = { quietMs: 1_000, maxWaitMs: 15_000, pollMs: 100, idleTimeoutMs: 1_000 };

let longTasksSeen = 0;
let watchingLongTasks = false;

/** Counts the page's long tasks where the browser reports them (Chromium); elsewhere waves alone count. */
function watchLongTasks(): void {
  if (watchingLongTasks || !PerformanceObserver.supportedEntryTypes?.includes('longtask')) return;
  watchingLongTasks = true;
  new PerformanceObserver((list) => (longTasksSeen += list.getEntries().length)).observe({ type: 'longtask' });
}

const browserHost: SettleHost = {
  now: () => performance.now(),
  longTasks: () => longTasksSeen,
  after: (ms, run) => void setTimeout(run, ms),
  idle: (run, timeoutMs) => {
    if (typeof requestIdleCallback === 'function') requestIdleCallback(() => run(), { timeout: timeoutMs });
    else setTimeout(run, 0);
  },
};

/** Resolves once the lab has settled and the page is idle (see the file's comment). */
export function whenLabSettled(activity: () => LabActivity, options: Partial<SettleOptions> = {}, host: SettleHost = browserHost): Promise<void> {
  if (host === browserHost) watchLongTasks();
  const { quietMs, maxWaitMs, pollMs, idleTimeoutMs } = { ...SETTLE_DEFAULTS, ...options };
  const start = host.now();
  let waves = -1;
  let longTasks = host.longTasks();
  let quietSince = start;
  return new Promise((resolve) => {
    const look = () => {
      const now = host.now();
      const lab = activity();
      if ((!lab.live && !lab.failed) || lab.saving) {
        waves = -1; // still starting (its boot waves are not quiet), or saving
        quietSince = now;
      } else if (lab.waves !== waves || host.longTasks() !== longTasks) {
        waves = lab.waves;
        longTasks = host.longTasks();
        quietSince = now;
      }
      const settled = lab.failed || (waves >= 0 && now - quietSince >= quietMs);
      if (settled || now - start >= maxWaitMs) host.idle(resolve, idleTimeoutMs);
      else host.after(pollMs, look);
    };
    look();
  });
}
