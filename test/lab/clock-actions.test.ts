/**
 * Realtime mode moves the lab clock by recorded advances (issue 12, item 8): every request and
 * advance is in the lab's action log, and replaying it on a lab booted from the same document
 * gives the same event log on the other transport, milliseconds included.
 */
import { describe, expect, it } from 'vitest';
import { ActionLog, replayActions } from '../../workers/lab/action-log';
import { formatEvent } from '../../workers/protocol/events';
import type { LabApi } from '../../workers/lab/lab-api';
import { nodeWorkerTransport } from '../../workers/lab/node-transport';
import { addRule } from '../controlplane/helpers';
import { bootClassroom } from './helpers';

/** What a learner in realtime mode produces: uneven wall-clock ticks between clicks. */
async function realtimeSession(api: LabApi): Promise<void> {
  const ticks = [1003, 998, 1017, 1000, 4990, 1001];
  for (const ms of ticks) await api.advanceClock(ms);
  await addRule(api, { name: 'no mysql', action: 'deny', from: 'vm-36', to: 'vm-41', port: 3306 });
  for (const ms of ticks) await api.advanceClock(ms);
  await api.probe({ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 });
  await api.session({ name: 's1', do: 'open', from: 'app-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 });
  for (let i = 0; i < 12; i++) await api.advanceClock(997 + (i % 7));
  await api.step();
  await api.guest('web-sv-01a', 'ip addr replace 172.16.10.99/24 dev eth0');
  await api.advanceClock(12_345);
}

describe('recorded clock advances', () => {
  it('merge consecutive advances and keep requests between them', () => {
    const log = new ActionLog();
    log.advance(0, 1000);
    log.advance(1000, 1003);
    log.request(2003, 'manager', 'rest', { path: '/x' });
    log.advance(2003, 0);
    log.advance(2003, 5);
    expect(log.actions).toEqual([
      { do: 'advance', at: 0, ms: 2003 },
      { do: 'request', at: 2003, to: 'manager', kind: 'rest', body: { path: '/x' } },
      { do: 'advance', at: 2003, ms: 5 },
    ]);
  });

  it('keeps the newest actions within its limit and counts those let go', () => {
    const log = new ActionLog(3);
    for (let i = 0; i < 5; i++) log.request(i, 'vcenter', 'inventory', { i });
    expect(log.actions.map((a) => (a.do === 'request' ? a.body : null))).toEqual([{ i: 2 }, { i: 3 }, { i: 4 }]);
    expect(log.dropped).toBe(2);
  });

  it('refuses an advance that is not a whole number of milliseconds', async () => {
    const api = await bootClassroom();
    await expect(api.advanceClock(-1)).rejects.toThrow(/whole number of milliseconds/);
    await expect(api.advanceClock(0.5)).rejects.toThrow(/whole number of milliseconds/);
  });

  it('step runs the clock to the next scheduled message, no further', async () => {
    const api = await bootClassroom();
    await api.lab.settle();
    const due = api.lab.nextDue()!;
    expect(due).toBeGreaterThan(api.lab.now);
    const before = api.lab.now;
    expect(await api.step()).toBe(due - before);
    expect(api.lab.now).toBe(due);
  });

  it('a realtime session replayed from its action log gives the same event log across worker_threads', async () => {
    const a = await bootClassroom();
    const b = await bootClassroom(nodeWorkerTransport());
    try {
      const from = a.lab.actionLog.actions.length;
      await realtimeSession(a);
      const recorded = a.lab.actionLog.actions.slice(from);
      // Ticks between two clicks are one advance.
      expect(recorded.filter((x) => x.do === 'advance').length).toBeLessThanOrEqual(recorded.filter((x) => x.do === 'request').length + 1);
      expect(recorded.some((x) => x.do === 'advance' && x.ms % 1000 !== 0)).toBe(true);

      await replayActions(b.lab, recorded);
      expect(b.lab.now).toBe(a.lab.now);
      expect(b.lab.events.map(formatEvent)).toEqual(a.lab.events.map(formatEvent));
      expect(b.lab.events).toEqual(a.lab.events);
      expect(await b.lab.snapshot()).toEqual(await a.lab.snapshot());
      // Time is readable: events fall between whole seconds, and stay in order.
      const times = a.lab.events.map((e) => e.t);
      expect(times.some((t) => t % 1000 !== 0)).toBe(true);
      expect([...times].sort((x, y) => x - y)).toEqual(times);
    } finally {
      b.lab.dispose();
    }
  }, 60_000); // worker_threads boot: slow on a shared two-core machine

  it('the same session without its recorded advances does not give the same log', async () => {
    const a = await bootClassroom();
    const b = await bootClassroom();
    const from = a.lab.actionLog.actions.length;
    await realtimeSession(a);
    await replayActions(b.lab, a.lab.actionLog.actions.slice(from).filter((x) => x.do !== 'advance'));
    expect(b.lab.events.map(formatEvent)).not.toEqual(a.lab.events.map(formatEvent));
  });
});
