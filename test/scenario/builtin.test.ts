/**
 * Every built-in scenario, played on the real lab: with `--solve` semantics every goal holds;
 * without the solutions the goals do not all hold. Scenarios that need backend pieces this
 * build does not have yet are skipped by a runtime check of the lab, never by a fixed list.
 */
import { describe, expect, it } from 'vitest';
import { formatLine, runScenario } from '../../workers/scenario/engine';
import { CAPABILITY_LABELS, missing, requirementsOf } from '../../workers/scenario/requirements';
import { backendCapabilities, boot } from './helpers';
import { builtinIndex, builtinScenarios } from './builtin-files';

const has = await backendCapabilities();
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
    const waiting = missing(requirementsOf(scenario), has);
    const label = waiting.length ? `${id} (waiting for ${waiting.map((w) => CAPABILITY_LABELS[w]).join(', ')})` : id;
    it.skipIf(waiting.length > 0)(`${label}: solved, every goal holds`, async () => {
      const r = await runScenario(scenario, { boot, solve: true });
      expect(r.lines.filter((l) => !l.ok).map(formatLine)).toEqual([]);
      r.api.lab.dispose();
    });
    it.skipIf(waiting.length > 0)(`${label}: unsolved, the goals do not all hold yet`, async () => {
      const r = await runScenario(scenario, { boot });
      expect(r.lines.filter((l) => l.kind === 'goal' && !l.ok).length).toBeGreaterThan(0);
      r.api.lab.dispose();
    });
  }
});
