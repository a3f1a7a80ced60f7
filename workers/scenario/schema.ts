/**
 * The scenario file, `dfw-lab/scenario@1` (../shared/spec/scenario-format.md): a lab to start
 * from and steps to walk. Validated with valibot before anything runs; objects are strict, so a
 * misspelt field is reported rather than silently ignored. Sizes are bounded so a hostile file
 * (or share link) cannot make the player do unbounded work.
 */
import * as v from 'valibot';
import { safeRegexError } from '../lab/safe-regex';
import { validateLabDocument, type LabDocument } from '../lab/lab-document';
import { formatOf, parseWith, type Outside } from '../protocol/outside';

export const SCENARIO_FORMAT = 'dfw-lab/scenario@1';

/** Limits: generous for real lessons, small enough to refuse a flood. */
const LIMITS = {
  steps: 100,
  actionsPerList: 200,
  checksPerStep: 100,
  hints: 10,
  text: 20_000,
  body: 200_000,
  name: 200,
  regex: 500,
  waitSeconds: 7 * 24 * 3600,
  /** Simulated time costs real time (a day of lab time is ~20 s of work): waits are bounded per list and per lesson. */
  waitPerList: 3600,
  waitPerLesson: 4 * 3600,
} as const;

const waited = (list: readonly { op: string; seconds?: number }[] | undefined) => (list ?? []).reduce((sum, a) => sum + (a.op === 'wait' ? (a.seconds ?? 0) : 0), 0);

const text = (max: number = LIMITS.text) => v.pipe(v.string(), v.maxLength(max, `at most ${max} characters`));
const name = v.pipe(v.string(), v.minLength(1, 'must not be empty'), v.maxLength(LIMITS.name, `at most ${LIMITS.name} characters`));
/** A name results are recorded under and referenced by in `{{NAME.…}}`. */
const resultName = v.pipe(v.string(), v.regex(/^[A-Za-z_][A-Za-z0-9_-]{0,63}$/, 'a result name is letters, digits, _ and -, starting with a letter or _'));
const port = v.pipe(v.number(), v.integer('a port is a whole number'), v.minValue(0), v.maxValue(65535));
const proto = v.picklist(['tcp', 'udp', 'icmp'], "proto is 'tcp', 'udp' or 'icmp'");
const flags = v.pipe(v.string(), v.regex(/^[FSRPAUEC]{1,8}$/i, 'TCP flags are letters from FSRPAUEC, e.g. "S", "A", "FA"'));
const headers = v.pipe(
  v.record(v.pipe(v.string(), v.regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'not a valid header name')), text(4000)),
  v.check((h) => Object.keys(h).length <= 50, 'at most 50 headers'),
);
const method = v.pipe(v.string(), v.transform((m) => m.toUpperCase()), v.picklist(['GET', 'PUT', 'POST', 'DELETE', 'PATCH', 'HEAD'], 'method is GET, PUT, POST, DELETE, PATCH or HEAD'));
const apiPath = v.pipe(text(4000), v.regex(/^\//, 'an API path starts with / (the manager is reached through the lab, never an outside URL)'));
const regexSource = v.pipe(
  text(LIMITS.regex),
  v.rawCheck(({ dataset, addIssue }) => {
    if (!dataset.typed) return;
    const error = safeRegexError(dataset.value, { multiline: true });
    if (error) addIssue({ message: error });
  }),
);

// ---- actions ---------------------------------------------------------------

const ApiAction = v.strictObject({ op: v.literal('api'), method, path: apiPath, headers: v.optional(headers), body: v.optional(text(LIMITS.body)), as: v.optional(resultName) });
const GuestAction = v.strictObject({ op: v.literal('guest'), vm: name, cmd: text(4000), as: v.optional(resultName) });
const HostAction = v.strictObject({ op: v.literal('host'), host: name, cmd: text(4000), as: v.optional(resultName) });
const VmotionAction = v.strictObject({ op: v.literal('vmotion'), vm: name, to: name });
const PowerAction = v.strictObject({ op: v.literal('power'), vm: name, state: v.picklist(['on', 'off'], "state is 'on' or 'off'") });
const VsfwdAction = v.strictObject({ op: v.literal('vsfwd'), host: name, do: v.picklist(['crash', 'stop', 'start'], "do is 'crash', 'stop' or 'start'") });
const ManagerAction = v.strictObject({ op: v.literal('manager'), state: v.picklist(['down', 'up'], "state is 'down' or 'up'") });
const BusAction = v.strictObject({ op: v.literal('bus'), host: name, state: v.picklist(['cut', 'heal'], "state is 'cut' or 'heal'") });
const WaitAction = v.strictObject({ op: v.literal('wait'), seconds: v.pipe(v.number(), v.minValue(0, 'seconds must not be negative'), v.maxValue(LIMITS.waitSeconds, `at most ${LIMITS.waitSeconds} seconds`)) });
const TrafficAction = v.strictObject({ op: v.literal('traffic'), from: name, to: name, proto, port: v.optional(port), flags: v.optional(flags), as: v.optional(resultName) });
const SessionAction = v.pipe(
  v.strictObject({
    op: v.literal('session'),
    name: resultName,
    do: v.picklist(['open', 'send', 'close'], "do is 'open', 'send' or 'close'"),
    from: v.optional(name),
    to: v.optional(name),
    proto: v.optional(v.literal('tcp', "sessions are 'tcp'")),
    port: v.optional(port),
  }),
  v.check((s) => s.do !== 'open' || (s.from !== undefined && s.to !== undefined && s.port !== undefined), "a session 'open' needs from, to and port"),
);
const PublishAction = v.strictObject({ op: v.literal('publish') });

const OPS = ['api', 'guest', 'host', 'vmotion', 'power', 'vsfwd', 'manager', 'bus', 'wait', 'traffic', 'session', 'publish'] as const;

export const ActionSchema = v.variant('op', [ApiAction, GuestAction, HostAction, VmotionAction, PowerAction, VsfwdAction, ManagerAction, BusAction, WaitAction, TrafficAction, SessionAction, PublishAction], `op is one of ${OPS.join(', ')}`);

// ---- checks ----------------------------------------------------------------

/** What the goal means, in the learner's words ("web servers can no longer reach db-sv-01a on 3306"): shown instead of the check itself. */
const label = v.optional(v.pipe(text(200), v.minLength(1, 'a label must not be empty')));

const TrafficCheck = v.strictObject({
  check: v.literal('traffic'), label, from: name, to: name, proto, port: v.optional(port), flags: v.optional(flags),
  expect: v.picklist(['allowed', 'dropped'], "expect is 'allowed' or 'dropped'"),
  rule: v.optional(v.pipe(v.number(), v.integer('a rule id is a whole number'), v.minValue(0))),
  by: v.optional(v.picklist(['rule', 'state', 'spoofguard', 'excluded', 'no-filter'], "by is 'rule', 'state', 'spoofguard', 'excluded' or 'no-filter'")),
});
const SessionCheck = v.strictObject({ check: v.literal('session'), label, name: resultName, expect: v.picklist(['alive', 'dead'], "expect is 'alive' or 'dead'") });
const status = v.pipe(v.number(), v.integer('a status is a whole number'), v.minValue(100), v.maxValue(599));
const ResponseCheck = v.strictObject({ check: v.literal('response'), label, of: resultName, status: v.optional(status), contains: v.optional(text()), header: v.optional(headers) });
const ApiCheck = v.strictObject({ check: v.literal('api'), label, method, path: apiPath, headers: v.optional(headers), body: v.optional(text(LIMITS.body)), status: v.optional(status), contains: v.optional(text()) });
const OutputCheck = v.pipe(
  v.strictObject({
    check: v.literal('output'), label, of: resultName, contains: v.optional(text()), matches: v.optional(regexSource),
    /** A substring that must appear nowhere in the output: no lookaround tricks in `matches`. */
    absent: v.optional(v.pipe(text(), v.minLength(1, 'absent must not be empty'))),
  }),
  v.check((c) => c.contains !== undefined || c.matches !== undefined || c.absent !== undefined, 'an output check needs contains, matches or absent'),
);
const EventCheck = v.strictObject({ check: v.literal('event'), label, contains: v.pipe(text(), v.minLength(1, 'must not be empty')), source: v.optional(name) });
const ReachCheck = v.strictObject({ check: v.literal('reach'), label, app: v.picklist(['vcenter', 'nsx-manager'], "app is 'vcenter' or 'nsx-manager'"), expect: v.picklist(['up', 'down'], "expect is 'up' or 'down'") });

const CHECKS = ['traffic', 'session', 'response', 'api', 'output', 'event', 'reach'] as const;

export const CheckSchema = v.variant('check', [TrafficCheck, SessionCheck, ResponseCheck, ApiCheck, OutputCheck, EventCheck, ReachCheck], `check is one of ${CHECKS.join(', ')}`);

// ---- steps and the file ----------------------------------------------------

const actions = v.pipe(
  v.array(ActionSchema),
  v.maxLength(LIMITS.actionsPerList, `at most ${LIMITS.actionsPerList} actions`),
  v.check((list) => waited(list) <= LIMITS.waitPerList, `the waits of one action list add up to at most ${LIMITS.waitPerList} seconds`),
);

const StepSchema = v.strictObject({
  say: text(),
  do: v.optional(actions),
  goal: v.optional(v.pipe(v.array(CheckSchema), v.maxLength(LIMITS.checksPerStep, `at most ${LIMITS.checksPerStep} checks`))),
  hint: v.optional(v.pipe(v.array(text(4000)), v.maxLength(LIMITS.hints, `at most ${LIMITS.hints} hints`))),
  solution: v.optional(actions),
});

/** Checked in two stages (below): the preset form here, a full lab document by its own schema. */
const LabRef = v.looseObject({}, 'lab is { "preset": "classroom" } or a full lab document');
const PresetRef = v.strictObject({
  preset: v.literal('classroom', "the only preset is 'classroom'"),
  /** Clusters (moid or name) whose hosts are not prepared for NSX yet, for host preparation lessons. */
  unprepared: v.optional(v.pipe(v.array(v.picklist(['domain-c7', 'domain-c25', 'domain-c26', 'Management & Edge Cluster', 'Compute Cluster A', 'Compute Cluster B'], 'a classroom cluster: domain-c7, domain-c25 or domain-c26 (or its name)')), v.maxLength(3))),
  /** Adds the bridging firewall VM fw-bridge-01a and its protected port group, for the "why a distributed firewall" lesson. */
  bridgeFirewall: v.optional(v.boolean('bridgeFirewall is true or false')),
});

const ScenarioSchema = v.strictObject({
  format: v.literal(SCENARIO_FORMAT, `format must be "${SCENARIO_FORMAT}"`),
  id: v.pipe(v.string(), v.regex(/^[a-z0-9-]+$/, 'id is lower-case letters, digits and -'), v.maxLength(80)),
  title: v.pipe(text(200), v.minLength(1, 'must not be empty')),
  summary: text(4000),
  lab: LabRef,
  steps: v.pipe(
    v.array(StepSchema),
    v.minLength(1, 'a scenario needs at least one step'),
    v.maxLength(LIMITS.steps, `at most ${LIMITS.steps} steps`),
    v.check((steps) => steps.reduce((sum, st) => sum + waited(st.do) + waited(st.solution), 0) <= LIMITS.waitPerLesson, `the waits of a whole scenario add up to at most ${LIMITS.waitPerLesson} seconds`),
  ),
});

export type Action = v.InferOutput<typeof ActionSchema>;
export type Check = v.InferOutput<typeof CheckSchema>;
export type Step = v.InferOutput<typeof StepSchema>;
type LabRefInput = { preset: 'classroom'; unprepared?: string[]; bridgeFirewall?: boolean } | LabDocument;
export type Scenario = Omit<v.InferOutput<typeof ScenarioSchema>, 'lab'> & { lab: LabRefInput };
export type ActionOp = Action['op'];
export type CheckKind = Check['check'];
export const ACTION_OPS: readonly ActionOp[] = OPS;
export const CHECK_KINDS: readonly CheckKind[] = CHECKS;

type ScenarioValidation = { ok: true; scenario: Scenario } | { ok: false; path: string; message: string };

function pathOf(issue: v.BaseIssue<unknown>): string {
  return `$${issue.path?.map((p) => (typeof p.key === 'number' ? `[${p.key}]` : /^[A-Za-z_$][\w$]*$/.test(String(p.key)) ? `.${String(p.key)}` : `[${JSON.stringify(String(p.key))}]`)).join('') ?? ''}`;
}

/**
 * Picks the most telling issue of a union/variant failure: valibot reports variant mismatches on
 * the discriminator, and nested issues on the deepest path.
 */
function firstIssue(issues: readonly v.BaseIssue<unknown>[]): v.BaseIssue<unknown> {
  let issue = issues[0];
  while (issue.issues?.length) {
    const deeper = [...issue.issues].sort((a, b) => (b.path?.length ?? 0) - (a.path?.length ?? 0))[0];
    if ((deeper.path?.length ?? 0) < (issue.path?.length ?? 0)) break;
    issue = deeper;
  }
  return issue;
}

/** valibot's key messages in the words of a file author. */
function plainMessage(issue: v.BaseIssue<unknown>): string {
  if (issue.type === 'strict_object' && issue.expected === 'never') return `unknown field ${issue.received}`;
  if (issue.received === 'undefined' && issue.kind === 'schema' && /^"[^"]*"$/.test(issue.expected ?? '') && issue.message.startsWith('Invalid key')) {
    return `missing field ${issue.expected}`;
  }
  return issue.message;
}

/** Checks an untrusted value; on failure names the JSON path of the first problem. */
export function validateScenario(input: Outside): ScenarioValidation {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) return { ok: false, path: '$', message: 'a scenario is a JSON object' };
  const format = formatOf(input);
  if (format?.startsWith('dfw-lab/scenario@') && format !== SCENARIO_FORMAT) {
    return { ok: false, path: '$.format', message: `this scenario is in format ${format}, which this version of DFW Lab cannot read (it reads ${SCENARIO_FORMAT})` };
  }
  const result = parseWith(ScenarioSchema, input, { abortEarly: true });
  if (!result.success) {
    const issue = firstIssue(result.issues);
    return { ok: false, path: pathOf(issue), message: plainMessage(issue) };
  }
  // The lab is checked on its own: a preset reference, or a whole lab document.
  const raw = result.output.lab;
  let lab: LabRefInput;
  if ('preset' in raw || !('format' in raw)) {
    const preset = parseWith(PresetRef, raw, { abortEarly: true });
    if (!preset.success) {
      const issue = preset.issues[0];
      return { ok: false, path: `$.lab${pathOf(issue).slice(1)}`, message: plainMessage(issue) };
    }
    lab = preset.output;
  } else {
    const checked = validateLabDocument(raw);
    if (!checked.ok) return { ok: false, path: `$.lab${checked.path.slice(1)}`, message: checked.message };
    lab = checked.doc;
  }
  const scenario: Scenario = { ...result.output, lab };
  const names = checkResultNames(scenario);
  if (names) return names;
  return { ok: true, scenario };
}

/**
 * `of` in response/output checks must name a result recorded earlier in the file (by `as` in a
 * do, solution or earlier action); a typo here is a file error, not a lesson failure.
 */
function checkResultNames(s: Scenario): ScenarioValidation | null {
  const known = new Set<string>();
  for (const [i, step] of s.steps.entries()) {
    for (const list of ['do', 'solution'] as const) for (const a of step[list] ?? []) if ('as' in a && a.as) known.add(a.as);
    for (const [j, c] of (step.goal ?? []).entries()) {
      if ((c.check === 'response' || c.check === 'output') && !known.has(c.of)) {
        return { ok: false, path: `$.steps[${i}].goal[${j}].of`, message: `no action before this check records a result named "${c.of}" (use "as": "${c.of}")` };
      }
    }
  }
  return null;
}

/** Parses JSON text then validates; a syntax error is reported at `$`. */
export function parseScenario(json: string): ScenarioValidation {
  let value: Outside;
  try {
    value = JSON.parse(json.replace(/^\uFEFF/, '')); // a byte-order mark is not part of the JSON
  } catch (err) {
    return { ok: false, path: '$', message: `not JSON: ${(err as Error).message}` };
  }
  return validateScenario(value);
}
