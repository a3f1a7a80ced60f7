/**
 * Fidelity scenarios (issue 14): each file under fidelity/ plays a claim from the seeds on the
 * real lab, with every goal holding. Each failed on the engine before its fix.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatLine, runScenario } from '../../workers/scenario/engine';
import { parseScenario } from '../../workers/scenario/schema';
import { boot } from './helpers';

const DIR = join(import.meta.dirname, 'fidelity');

describe('fidelity scenarios', () => {
  for (const file of readdirSync(DIR).filter((f) => f.endsWith('.json')).sort()) {
    it(file, async () => {
      const parsed = parseScenario(readFileSync(join(DIR, file), 'utf8'));
      if (!parsed.ok) throw new Error(`${file} is invalid at ${parsed.path}: ${parsed.message}`);
      const r = await runScenario(parsed.scenario, { boot, solve: true });
      expect(r.lines.filter((l) => !l.ok).map(formatLine)).toEqual([]);
      expect(r.lines.length).toBeGreaterThan(0);
      r.api.lab.dispose();
    });
  }
});
