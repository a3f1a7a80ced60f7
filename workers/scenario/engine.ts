/**
 * The step engine: plays a scenario on a lab. A step plays its `do` actions, (when solving)
 * its solution, then evaluates its goals against the live lab, as a dry run. Used by the headless runner
 * (`npm run scenario`), the tests and the app's player.
 */
import type { LabApi } from '../lab/lab-api';
import type { LabDocument } from '../lab/lab-document';
import { buildLab } from '../lab/presets/build-lab';
import { withUnpreparedClusters } from '../lab/presets/unprepared';
import { withBridgeFirewall } from '../lab/presets/bridge-firewall';
import { runAction } from './actions';
import { evaluateCheck, probeOf } from './checks';
import { describeAction, describeCheck } from './describe';
import type { Results } from './results';
import type { Action, Scenario, Step } from './schema';

type Boot = (doc: LabDocument) => Promise<LabApi>;

export interface Line {
  ok: boolean;
  /** 1-based step number. */
  step: number;
  kind: 'do' | 'solution' | 'goal';
  /** 1-based position in its list. */
  index: number;
  label: string;
  expected?: string;
  actual?: string;
  /** For actions: what happened, or why it failed. */
  detail?: string;
}

/** The lab document a scenario starts from (a fresh copy each time). */
export function labDocumentOf(scenario: Scenario): LabDocument {
  if ('preset' in scenario.lab) {
    const { unprepared, bridgeFirewall } = scenario.lab;
    if (!unprepared?.length && !bridgeFirewall) return buildLab();
    const prepared = unprepared?.length ? withUnpreparedClusters(buildLab(), unprepared) : buildLab();
    const doc = bridgeFirewall ? withBridgeFirewall(prepared) : prepared;
    // A changed preset is not what a compact link rebuilds from its history: such a lab travels whole.
    delete doc.history;
    return doc;
  }
  return structuredClone(scenario.lab);
}

export async function playActions(api: LabApi, actions: readonly Action[], results: Results, step: number, kind: 'do' | 'solution', onLine?: (l: Line) => void): Promise<Line[]> {
  const lines: Line[] = [];
  for (const [i, a] of actions.entries()) {
    const out = await runAction(api, a, results);
    const line: Line = { ok: out.ok, step, kind, index: i + 1, label: describeAction(a), detail: out.ok ? out.detail : out.message };
    lines.push(line);
    onLine?.(line);
  }
  return lines;
}

/**
 * Checks a step's goals in one dry run (LabApi.dryRun): the probes, sessions and REST calls
 * they send answer as they would now and leave the lab as it was, so checking a goal never
 * changes what the learner sees, nor whether another goal holds. The step's traffic and reach
 * probes go first, together (LabApi.probeAll: they share the lab's round trips); the other
 * checks follow in order. The results are those of checking one by one (test/scenario/goal-batch).
 */
export async function evaluateGoals(api: LabApi, step: Step, results: Results, stepNo: number, onLine?: (l: Line) => void, phases?: CheckPhases): Promise<Line[]> {
  const goals = step.goal ?? [];
  if (goals.length === 0) return [];
  return api.dryRun(async (dry) => {
    phases?.started();
    const specs = goals.map((c) => probeOf(c, results));
    const asked = specs.filter((p) => p !== null);
    // When every goal is a probe, nothing follows them in this dry run: their waves may stop once they all reported.
    const answers = asked.length ? await dry.probeAll(asked, { last: asked.length === goals.length }) : [];
    const probed = new Map(asked.map((p, i) => [p, answers[i]]));
    const lines: Line[] = [];
    for (const [i, c] of goals.entries()) {
      const spec = specs[i];
      const out = await evaluateCheck(dry, c, results, spec ? probed.get(spec) : undefined);
      const line: Line = { ok: out.ok, step: stepNo, kind: 'goal', index: i + 1, label: describeCheck(c), expected: out.expected, actual: out.actual };
      lines.push(line);
      onLine?.(line);
    }
    phases?.checked(lines);
    return lines;
  });
}

/**
 * A goal check's progress: the dry run began (the lab was free), its checks were answered (the
 * undo follows; the player shows the lines at once). The lesson bench times the phases between.
 */
interface CheckPhases {
  started(): void;
  checked(lines: Line[]): void;
}

interface RunOptions {
  boot: Boot;
  solve?: boolean;
  onLine?: (l: Line) => void;
  /** Play only the steps before this index (0-based), e.g. to reach a step of a deep link. */
  stopBefore?: number;
}

interface RunReport {
  lines: Line[];
  passed: number;
  failed: number;
  api: LabApi;
  results: Results;
}

/**
 * Counts: each goal check is one check; a failed action also counts as a failed check
 * (its goals would be judged on a lab the script did not set up). Successful actions are
 * reported as lines but not counted.
 */
export function tally(lines: readonly Line[]): { passed: number; failed: number } {
  let passed = 0;
  let failed = 0;
  for (const l of lines) {
    if (l.kind === 'goal') {
      if (l.ok) passed++;
      else failed++;
    }
    else if (!l.ok) failed++;
  }
  return { passed, failed };
}

export async function runScenario(scenario: Scenario, opts: RunOptions): Promise<RunReport> {
  const api = await opts.boot(labDocumentOf(scenario));
  const results: Results = new Map();
  const lines: Line[] = [];
  const last = Math.min(opts.stopBefore ?? scenario.steps.length, scenario.steps.length);
  for (let i = 0; i < last; i++) {
    const step = scenario.steps[i];
    lines.push(...(await playActions(api, step.do ?? [], results, i + 1, 'do', opts.onLine)));
    if (opts.solve) lines.push(...(await playActions(api, step.solution ?? [], results, i + 1, 'solution', opts.onLine)));
    lines.push(...(await evaluateGoals(api, step, results, i + 1, opts.onLine)));
  }
  return { lines, ...tally(lines), api, results };
}

/** Runner output: one line per check (and per failed action). */
export function formatLine(l: Line): string {
  const where = `step ${l.step} ${l.kind === 'goal' ? 'goal' : l.kind} ${l.index}`;
  if (l.kind === 'goal') return l.ok ? `ok   ${where}: ${l.label}` : `FAIL ${where}: ${l.label} — expected ${l.expected}; actual ${l.actual}`;
  return l.ok ? `ok   ${where}: ${l.label}` : `FAIL ${where}: ${l.label} — ${l.detail}`;
}
