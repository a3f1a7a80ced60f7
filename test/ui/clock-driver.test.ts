/** Realtime and simulation modes of the lab clock (issue 12, item 8), driven by a fake wall clock over a real lab. */
import { describe, expect, it } from 'vitest';
import { ClockDriver, MAX_CATCH_UP_MS, type ClockHost, type ClockMode, type ClockState } from '../../src/lib/clock-driver';
import type { LabApi } from '../../workers/lab/lab-api';
import { bootClassroom } from '../lab/helpers';

function fakeHost(saved: string | null = null) {
  const host = {
    wall: 0,
    isHidden: false,
    saved,
    ticks: [] as (() => void)[],
    now: () => host.wall,
    hidden: () => host.isHidden,
    every: (_ms: number, run: () => void) => {
      host.ticks.push(run);
      return () => undefined;
    },
    load: () => host.saved,
    save: (mode: ClockMode) => (host.saved = mode),
  };
  return host satisfies ClockHost;
}

async function setup(saved: string | null = null) {
  const api: LabApi = await bootClassroom();
  await api.lab.settle();
  const session = { status: 'ready', api, clock: api.lab.now };
  const state: ClockState = { mode: 'realtime', advancing: false };
  const host = fakeHost(saved);
  const driver = new ClockDriver(state, session, host);
  /** Wall time passes and the driver's timer fires once, as in the app. */
  const wallPasses = async (ms: number) => {
    host.wall += ms;
    await driver.tick();
  };
  return { api, session, state, host, driver, wallPasses, start: api.lab.now };
}

describe('lab clock modes', () => {
  it('realtime is the default and moves the lab clock by the wall time between ticks, to the millisecond', async () => {
    const { api, session, state, wallPasses, start } = await setup();
    expect(state.mode).toBe('realtime');
    await wallPasses(1_003);
    await wallPasses(998);
    expect(api.lab.now - start).toBe(2_001);
    expect(session.clock).toBe(api.lab.now);
    const advances = api.lab.actionLog.actions.filter((a) => a.do === 'advance');
    expect(advances.at(-1)).toMatchObject({ do: 'advance', ms: 2_001 }); // the two ticks, recorded as one advance
  });

  it('does not count the time the lab\'s units take to load as lab time', async () => {
    const { api, host, start } = await setup();
    const session = { status: 'ready', api, clock: api.lab.now, live: false };
    const loading = new ClockDriver({ mode: 'realtime', advancing: false }, session, host);
    host.wall += 2_000;
    await loading.tick();
    expect(api.lab.now).toBe(start);
    session.live = true;
    host.wall += 700;
    await loading.tick();
    expect(api.lab.now - start).toBe(700);
  });

  it('heartbeats and flow reports happen as the wall clock passes', async () => {
    const { api, wallPasses } = await setup();
    const before = api.lab.events.length;
    for (let i = 0; i < 35; i++) {
      await wallPasses(1_000);
    }
    expect(api.lab.events.length).toBeGreaterThan(before);
  });

  it('simulation stands still until stepped; the choice is remembered', async () => {
    const { api, state, host, driver, wallPasses, start } = await setup();
    driver.set('simulation');
    expect(host.saved).toBe('simulation');
    await wallPasses(60_000);
    expect(api.lab.now).toBe(start);
    await driver.advance(10);
    expect(api.lab.now - start).toBe(10_000);
    const due = api.lab.nextDue()!;
    await driver.advance('step');
    expect(api.lab.now).toBe(due);
    expect(state.advancing).toBe(false);
    // Back to realtime: the minute spent in simulation is not caught up.
    driver.set('realtime');
    const back = api.lab.now;
    await wallPasses(500);
    expect(api.lab.now - back).toBe(500);
  });

  it('starts in simulation when that was chosen before (end-to-end tests freeze the clock this way)', async () => {
    const { state, api, wallPasses, start } = await setup('simulation');
    expect(state.mode).toBe('simulation');
    await wallPasses(5_000);
    expect(api.lab.now).toBe(start);
  });

  it('a hidden tab does not move the clock, and nothing catches up more than a few seconds at once', async () => {
    const { api, host, wallPasses, start } = await setup();
    host.isHidden = true;
    await wallPasses(3_600_000);
    expect(api.lab.now).toBe(start);
    host.isHidden = false;
    await wallPasses(1_000);
    expect(api.lab.now - start).toBe(1_000);
    await wallPasses(120_000); // a frozen page, a debugger
    expect(api.lab.now - start).toBe(1_000 + MAX_CATCH_UP_MS);
  });
});
