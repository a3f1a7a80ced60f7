/**
 * Links to a lesson step and to a lab. A built-in lesson's link is its route (`#/scenario/<id>/step/N`):
 * the recipient has the lesson already and gets a lab of their own. Another scenario travels in
 * a share link that opens at its step; the solutions of that step and the later ones are left
 * out unless the instructor includes the answer key on purpose.
 */
import type { Lab } from '../../workers/lab/lab-boot';
import type { Scenario } from '../../workers/scenario/schema';
import { builtinIds, loadBuiltin, myScenarios } from '../share/library';
import { replayOf } from '../share/replay-link';
import { encodeShareLink, type Where } from '../share/share-link';

const origin = () => `${location.origin}${location.pathname}`;

/** The scenario as a link sends it: no solutions from `step` on, unless `answerKey`. */
function sharedScenario(s: Scenario, step: number, answerKey: boolean): Scenario {
  if (answerKey) return s;
  return { ...s, steps: s.steps.map((st, i) => (i >= step && st.solution ? (({ solution: _, ...rest }) => rest)(st) : st)) };
}

export async function lessonLink(s: Scenario, step: number, answerKey = false): Promise<string> {
  const builtin = await builtinIds().catch(() => [] as string[]);
  if (builtin.includes(s.id)) {
    const original = await loadBuiltin(s.id).catch(() => null);
    if (original && JSON.stringify(original) === JSON.stringify(s)) return `${origin()}#/scenario/${s.id}/step/${step + 1}`;
  }
  return `${origin()}${await encodeShareLink(sharedScenario(s, step, answerKey), { step, ...(answerKey ? { answerKey } : {}) })}`;
}

/** The link to a running lab: the preset and its actions when it can (replay-link.ts), else the whole lab. */
export async function labLink(lab: Lab, at: Where): Promise<string> {
  return `${origin()}${await encodeShareLink(replayOf(lab) ?? (await lab.snapshot()), at)}`;
}

/** Same lesson, same text: opening a link twice continues the first copy instead of making a second. */
const sameLesson = (a: Scenario, b: Scenario) => a.title === b.title && JSON.stringify(a.steps.map((s) => [s.say, s.goal])) === JSON.stringify(b.steps.map((s) => [s.say, s.goal]));

/** The id this browser already holds the shared scenario under (built-in or the learner's own), if any. */
export async function existingCopy(s: Scenario): Promise<string | null> {
  const mine = myScenarios().find((m) => (m.id === s.id || m.id.startsWith(`${s.id}-copy`)) && sameLesson(m, s));
  if (mine) return mine.id;
  const builtin = await builtinIds().catch(() => [] as string[]);
  if (builtin.includes(s.id)) {
    const original = await loadBuiltin(s.id).catch(() => null);
    if (original && sameLesson(original, s)) return s.id;
  }
  return null;
}
