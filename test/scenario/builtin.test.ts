/**
 * Every built-in scenario, played on the real lab: with `--solve` semantics every goal holds;
 * without the solutions the goals do not all hold. None is skipped: a lab that lost a piece
 * a lesson needs makes its test red.
 */
import { describe, expect, it } from 'vitest';
import { formatLine, runScenario } from '../../workers/scenario/engine';
import { boot } from './helpers';
import { builtinIndex, builtinScenarios } from './builtin-files';

const all = builtinScenarios();

describe('built-in scenario files', () => {
  it('are the eleven lessons, listed in index.json, each named after its id', () => {
    expect(all.map((s) => s.id).sort()).toEqual([...builtinIndex()].sort());
    expect(all).toHaveLength(11);
    for (const s of all) expect(s.file.endsWith(`/${s.id}.json`)).toBe(true);
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
    it(`${id}: solved, every goal holds`, async () => {
      const r = await runScenario(scenario, { boot, solve: true });
      expect(r.lines.filter((l) => !l.ok).map(formatLine)).toEqual([]);
      r.api.lab.dispose();
    });
    it(`${id}: unsolved, the goals do not all hold yet`, async () => {
      const r = await runScenario(scenario, { boot });
      expect(r.lines.filter((l) => l.kind === 'goal' && !l.ok).length).toBeGreaterThan(0);
      r.api.lab.dispose();
    });
  }
});
