/**
 * Evaluates one scenario check against the live lab. Every outcome carries what was expected
 * and what was found, so a failed check always says why.
 */
import { reachProbe, type LabApi, type ProbeResult, type ProbeSpec } from '../lab/lab-api';
import type { Results } from './results';
import type { Check } from './schema';
import { expandFields, TemplateError } from './template';
import { compileSafeRegex } from '../lab/safe-regex';

interface CheckOutcome {
  ok: boolean;
  expected: string;
  actual: string;
}

const clip = (s: string, max = 200) => {
  const one = s.replace(/\s+/g, ' ').trim();
  return one.length > max ? `${one.slice(0, max - 1)}…` : one;
};

function header(headers: Record<string, string>, name: string): string | undefined {
  const want = name.toLowerCase();
  for (const [k, v] of Object.entries(headers)) if (k.toLowerCase() === want) return v;
  return undefined;
}

/** Compares fields one by one; the first that does not hold is the reported mismatch. */
/** `matches` runs in the linear-time engine: a hostile pattern cannot freeze the player. */
function outputMatches(pattern: string, text: string): boolean {
  const r = compileSafeRegex(pattern, { multiline: true });
  return r.ok && r.regex.test(text);
}

/** What was found, in words, printed as it is (not quoted as a value). */
class Said {
  constructor(readonly text: string) {}
}

/**
 * A REST answer's body against a check's `contains`: whether it holds, and what to say about it.
 * Only that crosses to the lesson dock, never the body itself (it is NSX XML, often kilobytes).
 */
function bodyContains(body: string, contains: string | undefined): [Said | undefined, boolean | undefined] {
  if (contains === undefined) return [undefined, undefined];
  const holds = body.includes(contains);
  return [new Said(holds ? 'found' : body.trim() ? 'not in the answer' : 'not in the answer (it was empty)'), holds];
}

/** What a check compares: a status, a text, a count, a yes or no, or what was said instead of a body. */
type Compared = string | number | boolean | Said | null | undefined;

function compare(pairs: [label: string, expected: Compared, actual: Compared, holds?: boolean][]): CheckOutcome {
  const given = pairs.filter(([, e]) => e !== undefined);
  const expected = given.map(([l, e]) => `${l} ${typeof e === 'string' ? JSON.stringify(e) : e}`).join(', ');
  const actual = given.map(([l, , a]) => `${l} ${a instanceof Said ? a.text : typeof a === 'string' ? JSON.stringify(clip(a)) : a ?? 'none'}`).join(', ');
  const ok = given.every(([, e, a, holds]) => (holds !== undefined ? holds : e === a));
  return { ok, expected, actual };
}

/** Adds an `absent` field to an output comparison; when the text is there, the line holding it is what was found. */
function withAbsent(out: CheckOutcome, alone: boolean, absent: string, text: string): CheckOutcome {
  const line = text.split('\n').find((l) => l.includes(absent));
  const expected = `no ${JSON.stringify(absent)} in the output`;
  const actual = line === undefined ? 'none' : `a line with it: ${JSON.stringify(clip(line))}`;
  return {
    ok: out.ok && line === undefined,
    expected: alone ? expected : `${out.expected}, ${expected}`,
    actual: alone ? actual : `${out.actual}, ${actual}`,
  };
}

/** The probe a traffic or reach check sends (its references resolved), or null: another kind, or references that do not resolve. */
export function probeOf(raw: Check, results: Results): ProbeSpec | null {
  if (raw.check !== 'traffic' && raw.check !== 'reach') return null;
  let c: Check;
  try {
    c = expandFields(raw, results);
  } catch (err) {
    if (err instanceof TemplateError) return null;
    throw err;
  }
  if (c.check === 'reach') return reachProbe(c.app);
  if (c.check === 'traffic') return { from: c.from, to: c.to, proto: c.proto, port: c.port, flags: c.flags };
  return null;
}

/**
 * `probed`: what the check's probe (probeOf) gave, when it was sent already with the step's
 * other probes (LabApi.probeAll); otherwise the check sends it.
 */
/** A probe sent ahead: its result, or its failure thrown as the check's own. */
async function sent(probed: ProbeResult | Error | undefined): Promise<ProbeResult | undefined> {
  if (probed instanceof Error) throw probed;
  return probed;
}

export async function evaluateCheck(api: LabApi, raw: Check, results: Results, probed?: ProbeResult | Error): Promise<CheckOutcome> {
  let c: Check;
  try {
    c = expandFields(raw, results);
  } catch (err) {
    if (err instanceof TemplateError) return { ok: false, expected: 'its references to resolve', actual: err.message };
    throw err;
  }
  try {
    switch (c.check) {
      case 'traffic': {
        const r = await sent(probed) ?? (await api.probe({ from: c.from, to: c.to, proto: c.proto, port: c.port, flags: c.flags }));
        const out = compare([
          ['verdict', c.expect, r.verdict],
          ['by', c.by, r.by],
          ['rule', c.rule, r.ruleId],
        ]);
        return out.ok ? out : { ...out, actual: `${out.actual} (${clip(r.detail, 160)})` };
      }
      case 'session': {
        let state: string;
        try {
          const r = await api.session({ name: c.name, do: 'send' });
          state = r.verdict === 'allowed' ? 'alive' : 'dead';
        } catch (err) {
          // A closed session is gone from the lab: it is dead. Anything else is a real failure.
          if (!/no session named/.test((err as Error).message)) throw err;
          state = 'dead (closed or never opened)';
        }
        return compare([['session', c.expect, state, state.startsWith(c.expect)]]);
      }
      case 'response': {
        const r = results.get(c.of);
        if (!r) return { ok: false, expected: `a result named ${c.of}`, actual: 'no action recorded it (did the action run and succeed?)' };
        if (r.kind !== 'api') return { ok: false, expected: `${c.of} to be a REST response`, actual: `it is ${r.kind === 'text' ? 'command output' : 'a traffic result'}` };
        const res = r.response;
        const pairs: [string, Compared, Compared, boolean?][] = [['status', c.status, res.status], ['body contains', c.contains, ...bodyContains(res.body, c.contains)]];
        for (const [k, v] of Object.entries(c.header ?? {})) {
          const got = header(res.headers, k);
          pairs.push([`header ${k}`, v, got ?? '(absent)', got !== undefined && got.trim() === v.trim()]);
        }
        return compare(pairs);
      }
      case 'api': {
        const res = await api.rest({ method: c.method, path: c.path, headers: c.headers, body: c.body });
        return compare([
          ['status', c.status, res.status],
          ['body contains', c.contains, ...bodyContains(res.body, c.contains)],
        ]);
      }
      case 'output': {
        const r = results.get(c.of);
        if (!r) return { ok: false, expected: `a result named ${c.of}`, actual: 'no action recorded it (did the action run and succeed?)' };
        if (r.kind !== 'text') return { ok: false, expected: `${c.of} to be guest or host output`, actual: `it is ${r.kind === 'api' ? 'a REST response' : 'a traffic result'}` };
        const out = compare([
          ['output contains', c.contains, r.text, c.contains === undefined ? undefined : r.text.includes(c.contains)],
          ['output matches', c.matches, r.text, c.matches === undefined ? undefined : outputMatches(c.matches, r.text)],
        ]);
        return c.absent === undefined ? out : withAbsent(out, c.contains === undefined && c.matches === undefined, c.absent, r.text);
      }
      case 'event': {
        let sources: string[] | undefined;
        if (c.source !== undefined) {
          sources = [c.source];
          const host = (await api.inventory()).hosts.find((h) => h.name === c.source);
          if (host) sources.push(host.moid);
        }
        const hit = api.lab.events.find(
          (e) => `${e.code ?? ''} ${e.text}`.includes(c.contains) && (!sources || sources.includes(e.source) || (e.file !== undefined && sources.some((s) => e.file === s || e.file!.endsWith(`/${s}`)))),
        );
        return {
          ok: hit !== undefined,
          expected: `an event containing ${JSON.stringify(c.contains)}${c.source ? ` from ${c.source}` : ''}`,
          actual: hit ? JSON.stringify(clip(hit.text)) : `none among ${api.lab.events.length} events`,
        };
      }
      case 'reach': {
        const r = await sent(probed) ?? (await api.reach(c.app));
        const out = compare([[c.app, c.expect, r.verdict === 'allowed' ? 'up' : 'down']]);
        return { ...out, actual: `${out.actual} (${clip(`${r.verdict}${r.ruleId !== undefined ? ` by rule ${r.ruleId}` : ''}: ${r.detail}`, 160)})` };
      }
    }
  } catch (err) {
    return { ok: false, expected: 'the check to run', actual: err instanceof Error ? err.message : String(err) };
  }
}
