/**
 * Issue 15 part 3: the Oracle TNS and MS-RPC scenarios under alg/. With only the control port
 * (1521, 135) allowed, each passes with its solution (the rule's service becomes the ALG
 * service) and fails without it: through a plain TCP service the announced connection is dropped.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatLine, runScenario } from '../../workers/scenario/engine';
import { parseScenario } from '../../workers/scenario/schema';
import { boot } from './helpers';

const DIR = join(import.meta.dirname, 'alg');

describe('ALG scenarios', () => {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
  it('are the TNS and MS-RPC ones', () => expect(files).toEqual(['msrpc-endpoint-mapper.json', 'oracle-tns-redirect.json']));

  for (const file of files) {
    it(`${file}: every goal holds with the solution, and the ALG goals fail without it`, async () => {
      const parsed = parseScenario(readFileSync(join(DIR, file), 'utf8'));
      if (!parsed.ok) throw new Error(`${file} is invalid at ${parsed.path}: ${parsed.message}`);
      const solved = await runScenario(parsed.scenario, { boot, solve: true });
      expect(solved.lines.filter((l) => !l.ok).map(formatLine)).toEqual([]);
      solved.api.lab.dispose();
      const unsolved = await runScenario(parsed.scenario, { boot, solve: false });
      const failed = unsolved.lines.filter((l) => !l.ok).map(formatLine);
      expect(failed.some((l) => l.includes('alg_try'))).toBe(true);
      expect(failed.some((l) => l.includes('event log'))).toBe(true);
      // The plain service's failure holds either way: it is the lesson's starting point.
      expect(unsolved.lines.filter((l) => l.ok).map(formatLine).some((l) => l.includes('plain_try'))).toBe(true);
      unsolved.api.lab.dispose();
    }, 120_000);
  }
});
