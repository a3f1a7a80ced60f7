/** The service worker registers once the lab has settled (src/pwa/when-lab-settled.ts), on a fake wall clock. */
import { describe, expect, it } from 'vitest';
import { type LabActivity, type SettleHost, whenLabSettled } from '../../src/pwa/when-lab-settled';

/** A wall clock that moves only when told, running timers and idle callbacks in time order. */
function fakeHost() {
  let wall = 0;
  let timers: { at: number; run: () => void }[] = [];
  const idleCalls: number[] = [];
  const page = { longTasks: 0 };
  const host: SettleHost = {
    now: () => wall,
    longTasks: () => page.longTasks,
    after: (ms, run) => void timers.push({ at: wall + ms, run }),
    idle: (run, timeoutMs) => {
      idleCalls.push(timeoutMs);
      timers.push({ at: wall, run });
    },
  };
  /** Moves the clock by `ms`, running what falls due, with `during(t)` before each timer. */
  const advance = (ms: number, during: (t: number) => void = () => undefined) => {
    const end = wall + ms;
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      const next = timers[0];
      if (!next || next.at > end) break;
      timers = timers.slice(1);
      wall = next.at;
      during(wall);
      next.run();
    }
    wall = end;
  };
  return { host, advance, idleCalls, page };
}

function track(promise: Promise<void>) {
  const state = { done: false };
  void promise.then(() => (state.done = true));
  return state;
}

const flush = () => new Promise((r) => setTimeout(r, 0));
const options = { quietMs: 500, maxWaitMs: 15_000, pollMs: 100, idleTimeoutMs: 1_000 };

describe('registering the service worker once the lab has settled', () => {
  it('waits while the lab starts and while its waves run, then for quietMs without a wave and an idle page', async () => {
    const { host, advance, idleCalls } = fakeHost();
    const lab: LabActivity = { live: false, failed: false, waves: 0, saving: false };
    const wait = track(whenLabSettled(() => lab, options, host));
    // Starting: however long, not settled.
    advance(3_000);
    await flush();
    expect(wait.done).toBe(false);
    // Live, but running waves every 200 ms (a lesson's checks): never quiet for 500 ms.
    lab.live = true;
    advance(2_000, () => (lab.waves += 1));
    await flush();
    expect(wait.done).toBe(false);
    // The waves stop: 400 ms later still waiting, past 500 ms registered, through an idle callback.
    advance(400);
    await flush();
    expect(wait.done).toBe(false);
    expect(idleCalls).toEqual([]);
    advance(200);
    await flush();
    expect(wait.done).toBe(true);
    expect(idleCalls).toEqual([1_000]);
  });

  it('counts a long task of the page as busy too (a lesson loading between its waves)', async () => {
    const { host, advance, page } = fakeHost();
    const lab: LabActivity = { live: true, failed: false, waves: 3, saving: false };
    const wait = track(whenLabSettled(() => lab, options, host));
    // No wave for 2 s, but a long task every 300 ms: not settled.
    advance(2_000, (t) => {
      if (t % 300 === 0) page.longTasks += 1;
    });
    await flush();
    expect(wait.done).toBe(false);
    advance(600);
    await flush();
    expect(wait.done).toBe(true);
  });

  it('counts a save due or under way as busy', async () => {
    const { host, advance } = fakeHost();
    const lab: LabActivity = { live: true, failed: false, waves: 3, saving: true };
    const wait = track(whenLabSettled(() => lab, options, host));
    advance(3_000);
    await flush();
    expect(wait.done).toBe(false);
    lab.saving = false;
    advance(400);
    await flush();
    expect(wait.done).toBe(false);
    advance(200);
    await flush();
    expect(wait.done).toBe(true);
  });

  it('does not wait for a lab that failed to start', async () => {
    const { host, advance } = fakeHost();
    const wait = track(whenLabSettled(() => ({ live: false, failed: true, waves: 0, saving: false }), options, host));
    advance(0);
    await flush();
    expect(wait.done).toBe(true);
  });

  it('registers after maxWaitMs at the latest, even with a lab that never goes quiet', async () => {
    const { host, advance } = fakeHost();
    const lab: LabActivity = { live: true, failed: false, waves: 0, saving: false };
    const wait = track(whenLabSettled(() => lab, options, host));
    advance(14_800, () => (lab.waves += 1));
    await flush();
    expect(wait.done).toBe(false);
    advance(300, () => (lab.waves += 1));
    await flush();
    expect(wait.done).toBe(true);
  });
});
