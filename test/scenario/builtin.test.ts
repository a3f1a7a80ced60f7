/**
 * Every built-in scenario, played on the real lab: with `--solve` semantics every goal holds;
 * without the solutions the goals do not all hold. None is skipped: a lab that lost a piece
 * a lesson needs makes its test red.
 */
import { describe, expect, it } from 'vitest';
import { evaluateGoals, formatLine, labDocumentOf, playActions, runScenario, type Line } from '../../workers/scenario/engine';
import type { Results } from '../../workers/scenario/results';
import { boot } from './helpers';
import { builtinIndex, builtinScenarios } from './builtin-files';

const all = builtinScenarios();

describe('built-in scenario files', () => {
  it('are the course lessons (the twelve of issue 12 and those of issue 15), listed in index.json, each named after its id', () => {
    expect(all.map((s) => s.id).sort()).toEqual([...builtinIndex()].sort());
    expect(all.map((s) => s.id)).toEqual(expect.arrayContaining(['lockout-vcenter', 'firewall-runs-out', 'host-preparation', 'identity-firewall', 'ftp-alg']));
    expect(all.length).toBeGreaterThanOrEqual(13);
    for (const s of all) expect(s.file.endsWith(`/${s.id}.json`)).toBe(true);
  });

  it('every check says its goal in the learner’s words (a label), with no template or raw value in it', () => {
    const unlabelled: string[] = [];
    for (const { id, scenario } of all) {
      for (const [i, s] of scenario.steps.entries()) {
        for (const [j, c] of (s.goal ?? []).entries()) {
          if (!c.label) unlabelled.push(`${id} step ${i + 1} goal ${j + 1}`);
          else expect(c.label, `${id} step ${i + 1} goal ${j + 1}`).not.toMatch(/\{\{|\}\}|<\w|undefined|\[object/);
        }
      }
    }
    expect(unlabelled).toEqual([]);
  });

  it('no step’s text shows a template: the learner reads values, not {{…}}', () => {
    for (const { id, scenario } of all) for (const [i, s] of scenario.steps.entries()) expect(`${s.say}\n${(s.hint ?? []).join('\n')}`, `${id} step ${i + 1}`).not.toMatch(/\{\{/);
  });

  it('every step with goals has a solution and a hint ladder; every file has steps with goals', () => {
    for (const { id, scenario } of all) {
      expect(scenario.steps.some((s) => s.goal?.length), id).toBe(true);
      for (const [i, s] of scenario.steps.entries()) {
        if (s.solution) expect(s.hint?.length, `${id} step ${i + 1}`).toBeGreaterThanOrEqual(2);
      }
    }
  });
});

describe('built-in scenarios on the lab', () => {
  for (const { id, scenario } of all) {
    it(`${id}: no step with goals is complete on arrival, no goal but a "still" guard ticked; solved, every goal holds`, async () => {
      // As a learner meets each step: earlier steps solved, this step's actions played, nothing done yet.
      const api = await boot(labDocumentOf(scenario));
      const results: Results = new Map();
      const lines: Line[] = [];
      const completeOnArrival: string[] = [];
      const tickedOnArrival: string[] = [];
      for (const [i, step] of scenario.steps.entries()) {
        lines.push(...(await playActions(api, step.do ?? [], results, i + 1, 'do')));
        if (step.goal?.length) {
          // As the player checks goals: a dry run on the live lab, which leaves it as it was.
          const arrival = await evaluateGoals(api, step, new Map(results), i + 1);
          if (arrival.every((l) => l.ok)) completeOnArrival.push(`step ${i + 1}: ${arrival.map((l) => l.label).join('; ')}`);
          // A goal ticked before the learner did anything reads as done for them: only a guard that says so ("still", "stays") may.
          for (const [k, l] of arrival.entries()) {
            const said = step.goal[k]?.label ?? l.label;
            if (l.ok && !/\b(still|stays?)\b/i.test(said)) tickedOnArrival.push(`step ${i + 1}: ${said}`);
          }
        }
        lines.push(...(await playActions(api, step.solution ?? [], results, i + 1, 'solution')));
        lines.push(...(await evaluateGoals(api, step, results, i + 1)));
      }
      expect(completeOnArrival).toEqual([]);
      expect(tickedOnArrival, 'goals that hold before the learner acts').toEqual([]);
      expect(lines.filter((l) => !l.ok).map(formatLine)).toEqual([]);
      api.lab.dispose();
    });
    it(`${id}: unsolved, the goals do not all hold yet`, async () => {
      const r = await runScenario(scenario, { boot });
      expect(r.lines.filter((l) => l.kind === 'goal' && !l.ok).length).toBeGreaterThan(0);
      r.api.lab.dispose();
    });
  }
});
