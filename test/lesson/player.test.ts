/**
 * The lesson player on a real classroom lab (in-process): goals are checked as a dry run (the
 * learner's lab is not touched by the checks), at once on a lab change that may matter, a saved lesson resumes at its step without
 * booting or replaying anything, hints and the finish are counted for the summary.
 */
import { describe, expect, it, vi } from 'vitest';
import { Lab } from '../../workers/lab/lab';
import { LabApi } from '../../workers/lab/lab-api';
import type { LabDocument } from '../../workers/lab/lab-document';
import { inProcessTransport } from '../../workers/transports';
import type { LessonState } from '../../src/lesson/lesson-state';
import { ScenarioPlayer, type PlayerHost } from '../../src/lesson/player.svelte';
import { scenario } from '../scenario/helpers';

function host() {
  let api: LabApi | null = null;
  const saved: LessonState[] = [];
  const boots: LabDocument[] = [];
  const met: number[] = [];
  const marks: string[] = [];
  const listeners: (() => void)[] = [];
  const h: PlayerHost = {
    async boot(doc) {
      boots.push(doc);
      api?.lab.dispose();
      api = new LabApi(await Lab.boot(doc, inProcessTransport));
      api.lab.onEvents(() => listeners.forEach((l) => l()));
      return api;
    },
    api: () => api,
    onChange: (l) => {
      listeners.push(l);
      return () => listeners.splice(listeners.indexOf(l), 1);
    },
    afterOperation: async () => {},
    labId: () => 'lab-1',
    save: (s) => saved.push(s),
    onGoalMet: (i) => met.push(i),
    mark: (name) => marks.push(name),
  };
  /** The screens report a change (they re-read the lab) without the lab moving. */
  const report = () => listeners.forEach((l) => l());
  return { h, saved, boots, met, marks, report, get api() { return api!; } };
}

const lesson = scenario([
  { say: 'Read me.' },
  {
    say: 'Block web to app on 8443.',
    goal: [{ check: 'traffic', from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443, expect: 'allowed' }, { check: 'event', contains: 'no such event text' }],
    hint: ['one', 'two'],
    solution: [{ op: 'wait', seconds: 1 }],
  },
]);

describe('lesson player', () => {
  it('checks goals as a dry run, so the learner’s lab sees no probe', async () => {
    const t = host();
    const p = new ScenarioPlayer(lesson, t.h);
    await p.start(1, true);
    expect(p.error).toBe('');
    expect(p.step).toBe(1);
    expect(p.goals.map((g) => g.ok)).toEqual([true, false]);
    const events = t.api.lab.events.length;
    const probeId = t.api.lab.newProbeId();
    await p.evaluate();
    // The checks sent a probe, as a dry run: the live lab's log and probe counter did not move.
    expect(t.api.lab.events.length).toBe(events);
    expect(t.api.lab.newProbeId()).toBe(probeId + 1);
    expect(p.complete).toBe(false);
    expect(p.finished).toBe(false);
    p.dispose();
  });

  it('is busy from the moment it is asked to start, so a read step offers no Next before its lab runs', async () => {
    const t = host();
    const p = new ScenarioPlayer(lesson, t.h);
    expect(p.busy).toBe('');
    const started = p.start(0, true);
    expect(p.busy).not.toBe('');
    expect(t.boots).toHaveLength(0); // the boot itself comes later, in the queue
    await started;
    expect(p.busy).toBe('');
    expect(p.complete).toBe(true);
  });

  it('resumes a saved lesson at its step without booting or replaying', async () => {
    const t = host();
    const first = new ScenarioPlayer(lesson, t.h);
    await first.start(1, true);
    first.reveal();
    first.reveal();
    const state = t.saved.at(-1)!;
    expect(state).toMatchObject({ scenarioId: 'test', step: 1, revealed: 2, hintsUsed: 2, labId: 'lab-1' });
    first.dispose();

    const boots = t.boots.length;
    const again = new ScenarioPlayer(lesson, t.h);
    await again.resume(state);
    expect(t.boots.length).toBe(boots);
    expect(again.step).toBe(1);
    expect(again.revealed).toBe(2);
    expect(again.hintsUsed).toBe(2);
    expect(again.goals.map((g) => g.ok)).toEqual([true, false]);
    again.dispose();
  });

  it('Show me reveals the whole ladder (counted as hints) and plays the solution one action at a time', async () => {
    const t = host();
    const p = new ScenarioPlayer(lesson, t.h);
    await p.start(1, true);
    const seen: string[] = [];
    const clock = t.api.lab.now;
    await p.showMe(async (a, i) => void seen.push(`${i}:${a.op}`));
    expect(seen).toEqual(['0:wait']);
    expect(p.revealed).toBe(p.ladder);
    expect(p.hintsUsed).toBe(3);
    expect(t.api.lab.now).toBe(clock + 1000);
    p.dispose();
  });

  it('ticks a goal on the lab change that meets it, at once (no timer), and not on one that does not', async () => {
    const t = host();
    const cut = scenario([
      { say: 'Read me.' },
      { say: 'Cut app-sv-01a off.', goal: [{ check: 'traffic', from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443, expect: 'dropped' }] },
    ]);
    const p = new ScenarioPlayer(cut, t.h);
    await p.start(1, true);
    expect(p.goals.map((g) => g.ok)).toEqual([false]);

    // Another VM powered off: the change starts a check while the operation runs; the goal stays open.
    let checks = t.marks.filter((m) => m === 'check-start').length;
    await t.api.power('web-sv-02a', 'off');
    expect(t.marks.filter((m) => m === 'check-start').length).toBeGreaterThan(checks);
    await vi.waitFor(() => expect(t.marks.at(-1)).toBe('dry-end'));
    expect(p.goals.map((g) => g.ok)).toEqual([false]);
    expect(t.met).toEqual([]);

    // app-sv-01a powered off: the same way, the goal ticks (goal met reported once).
    checks = t.marks.filter((m) => m === 'check-start').length;
    await t.api.power('app-sv-01a', 'off');
    expect(t.marks.filter((m) => m === 'check-start').length).toBeGreaterThan(checks);
    await vi.waitFor(() => expect(t.met).toEqual([0]));
    expect(p.goals.map((g) => g.ok)).toEqual([true]);
    expect(p.complete).toBe(true);
    p.dispose();
  });

  it('a change report on a lab that has not moved starts no check; a moved clock does', async () => {
    const t = host();
    const p = new ScenarioPlayer(lesson, t.h);
    await p.start(1, true);
    const checks = () => t.marks.filter((m) => m === 'check-start').length;
    const before = checks();
    t.report();
    t.report();
    await p.idle();
    expect(checks()).toBe(before);
    await t.api.advanceClock(1);
    t.report();
    await vi.waitFor(() => expect(t.marks.at(-1)).toBe('dry-end'));
    expect(checks()).toBe(before + 1);
    p.dispose();
  });

  it('opens steps and checks goals with no snapshot of the lab on the page; Reset step boots the step start its units kept', async () => {
    const t = host();
    const scripted = scenario([
      { say: 'Read me.' },
      { say: 'A scripted wait, then a goal.', do: [{ op: 'wait', seconds: 2 }], goal: [{ check: 'traffic', from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443, expect: 'dropped' }] },
    ]);
    const p = new ScenarioPlayer(scripted, t.h);
    await p.start(0, true);
    const snapshots = vi.spyOn(Lab.prototype, 'snapshot');
    await t.api.lab.settle();
    const stepStart = JSON.stringify(t.api.lab.events);
    const clock = t.api.lab.now;
    await p.next();
    await p.evaluate();
    await t.api.power('app-sv-01a', 'off');
    await vi.waitFor(() => expect(p.goals.map((g) => g.ok)).toEqual([true]));
    expect(snapshots).not.toHaveBeenCalled();
    snapshots.mockRestore();
    // The scripted wait ran after the checkpoint: Reset step boots the lab from before it and plays it again.
    const boots = t.boots.length;
    await p.resetStep();
    expect(p.error).toBe('');
    expect(t.boots.length).toBe(boots + 1);
    const booted = t.boots.at(-1)!;
    expect(booted.clock).toBe(clock);
    expect(JSON.stringify(booted.events)).toBe(stepStart);
    expect(t.api.lab.now).toBe(clock + 2000);
    // app-sv-01a is on again (the power-off came after the step start), so the goal is open again.
    expect(p.goals.map((g) => g.ok)).toEqual([false]);
    p.dispose();
  });

  it('a checkpoint gives back the lab as it was, byte for byte, whatever ran since', async () => {
    const t = host();
    const p = new ScenarioPlayer(lesson, t.h);
    await p.start(0, true);
    await t.api.lab.settle();
    const before = JSON.stringify(await t.api.lab.snapshot());
    await t.api.lab.checkpoint();
    await t.api.probe({ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 });
    await t.api.wait(30);
    expect(JSON.stringify(await t.api.lab.snapshot())).not.toBe(before);
    expect(JSON.stringify(await t.api.lab.checkpointDocument())).toBe(before);
    // Read twice: the units keep their copy.
    expect(JSON.stringify(await t.api.lab.checkpointDocument())).toBe(before);
    await expect(t.api.lab.dryRun((d) => d.checkpoint())).rejects.toThrow(/dry run cannot take a checkpoint/);
    p.dispose();
  });

  it('a lesson whose last step has no goals is finished on arrival there', async () => {
    const t = host();
    const read = scenario([{ say: 'one' }, { say: 'two' }]);
    const p = new ScenarioPlayer(read, t.h);
    await p.start(0, true);
    expect(p.finished).toBe(false);
    await p.next();
    expect(p.finished).toBe(true);
    expect(t.saved.at(-1)?.finishedAt).not.toBeNull();
    p.dispose();
  });

  it('on a read step pre-checks the next step’s goals once per lab, as a dry run whose result is dropped: the next step checks its own', async () => {
    const t = host();
    const traffic = { check: 'traffic', from: 'web-sv-01a', to: 'app-sv-01a', proto: 'tcp', port: 8443, expect: 'allowed' };
    const four = scenario([{ say: 'Read me.' }, { say: 'Goal.', goal: [traffic] }, { say: 'Read again.' }, { say: 'Goal again.', goal: [traffic] }]);
    const dryRuns = vi.spyOn(Lab.prototype, 'dryRun');
    const p = new ScenarioPlayer(four, t.h);
    await p.start(0, true);
    // The read step has nothing to check: its one dry run is step 2's pre-check, which marks no check for the bench.
    expect(dryRuns).toHaveBeenCalledTimes(1);
    expect(p.goals).toEqual([]);
    expect(t.marks).not.toContain('dry-start');
    const events = t.api.lab.events.length;
    // What the pre-check found no longer holds: step 2 must find that itself.
    await t.api.power('app-sv-01a', 'off');
    await p.next();
    expect(dryRuns).toHaveBeenCalledTimes(2);
    expect(p.goals.map((g) => g.ok)).toEqual([false]);
    expect(t.api.lab.events.length).toBeGreaterThan(events);
    // A later read step in the same lab does not pre-check again.
    await p.next();
    expect(dryRuns).toHaveBeenCalledTimes(2);
    dryRuns.mockRestore();
    p.dispose();
  });
});
