import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseScenario, type Scenario } from '../../workers/scenario/schema';

export const SCENARIO_DIR = join(import.meta.dirname, '../../public/scenarios');

export function builtinIndex(): string[] {
  return (JSON.parse(readFileSync(join(SCENARIO_DIR, 'index.json'), 'utf8')) as { scenarios: string[] }).scenarios;
}

/** Every built-in scenario file, parsed and validated (throws on an invalid one). */
export function builtinScenarios(): { id: string; file: string; scenario: Scenario }[] {
  return readdirSync(SCENARIO_DIR)
    .filter((f) => f.endsWith('.json') && f !== 'index.json')
    .sort()
    .map((f) => {
      const file = join(SCENARIO_DIR, f);
      const r = parseScenario(readFileSync(file, 'utf8'));
      if (!r.ok) throw new Error(`${f} is invalid at ${r.path}: ${r.message}`);
      return { id: r.scenario.id, file, scenario: r.scenario };
    });
}
