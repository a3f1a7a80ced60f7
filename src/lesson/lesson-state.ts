/**
 * What is kept of lessons in this browser (localStorage): per scenario, where the learner is
 * (step, hints, results of earlier actions, the saved lab it runs in, time and hints for the
 * summary); which lesson is running; and how the dock looks. Read back through a schema: a
 * damaged or foreign value is dropped, never trusted.
 */
import * as v from 'valibot';
import type { RecordedResult } from '../../workers/scenario/results';
import type { Outside } from '../../workers/protocol/outside';

const LESSONS = 'dfw-lab/lessons@1';
const DOCK = 'dfw-lab/lesson-dock@1';

const LessonStateSchema = v.object({
  scenarioId: v.pipe(v.string(), v.regex(/^[a-z0-9-]+$/)),
  labId: v.nullable(v.string()),
  step: v.pipe(v.number(), v.integer(), v.minValue(0)),
  revealed: v.pipe(v.number(), v.integer(), v.minValue(0)),
  done: v.array(v.pipe(v.number(), v.integer(), v.minValue(0))),
  hintsUsed: v.pipe(v.number(), v.integer(), v.minValue(0)),
  startedAt: v.number(),
  finishedAt: v.nullable(v.number()),
  // Recorded results are whatever the lab answered; only their outer shape is checked here.
  results: v.array(v.tuple([v.string(), v.looseObject({ kind: v.picklist(['api', 'text', 'traffic']) })])),
});

export type LessonState = Omit<v.InferOutput<typeof LessonStateSchema>, 'results'> & { results: [string, RecordedResult][] };

const SavedSchema = v.object({
  running: v.nullable(v.string()),
  states: v.record(v.string(), v.unknown()),
});

const DockSchema = v.object({
  collapsed: v.boolean(),
  width: v.pipe(v.number(), v.minValue(0)),
  instructor: v.optional(v.boolean(), false),
});
type DockPrefs = v.InferOutput<typeof DockSchema>;

export const DOCK_WIDTH = { min: 260, max: 720, initial: 360 } as const;

/** What localStorage holds under `key`, parsed and not yet checked (each reader checks it with its schema). */
function readJson(key: string): Outside {
  try {
    const raw = globalThis.localStorage?.getItem(key);
    return raw ? JSON.parse(raw) : undefined;
  } catch {
    return undefined;
  }
}

/** A full quota or blocked storage must not stop the lesson: it just is not kept. */
function writeJson<T>(key: string, value: T): void {
  try {
    globalThis.localStorage?.setItem(key, JSON.stringify(value));
  } catch {
    /* not kept */
  }
}

function readSaved(): { running: string | null; states: Record<string, unknown> } {
  const r = v.safeParse(SavedSchema, readJson(LESSONS));
  return r.success ? r.output : { running: null, states: {} };
}

export function lessonStateOf(id: string): LessonState | null {
  const r = v.safeParse(LessonStateSchema, readSaved().states[id]);
  return r.success && r.output.scenarioId === id ? (r.output as LessonState) : null;
}

export function saveLessonState(state: LessonState): void {
  const saved = readSaved();
  writeJson(LESSONS, { ...saved, states: { ...saved.states, [state.scenarioId]: state } });
}

export function runningLessonId(): string | null {
  return readSaved().running;
}

export function setRunningLesson(id: string | null): void {
  writeJson(LESSONS, { ...readSaved(), running: id });
}

/** Every lesson the learner has started, by scenario id (for the course's progress). */
export function allLessonStates(): Record<string, LessonState> {
  const out: Record<string, LessonState> = {};
  for (const id of Object.keys(readSaved().states)) {
    const s = lessonStateOf(id);
    if (s) out[id] = s;
  }
  return out;
}

export function readDockPrefs(): DockPrefs {
  const r = v.safeParse(DockSchema, readJson(DOCK));
  const prefs = r.success ? r.output : { collapsed: false, width: DOCK_WIDTH.initial, instructor: false };
  return { ...prefs, width: Math.min(DOCK_WIDTH.max, Math.max(DOCK_WIDTH.min, prefs.width)) };
}

export function saveDockPrefs(p: DockPrefs): void {
  writeJson(DOCK, p);
}
