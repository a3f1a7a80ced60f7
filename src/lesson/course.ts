/**
 * The course: the built-in lessons in order, each with its level, estimated minutes and what it
 * teaches, from `public/scenarios/index.json` (`lessons`), falling back to the scenario file's
 * own title and summary where the index says nothing.
 */
import * as v from 'valibot';
import { loadBuiltin } from '../share/library';

const LessonInfo = v.object({
  level: v.optional(v.picklist(['beginner', 'intermediate', 'advanced'])),
  minutes: v.optional(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(600))),
  teaches: v.optional(v.pipe(v.string(), v.maxLength(300))),
});
const CourseIndex = v.object({
  scenarios: v.array(v.pipe(v.string(), v.regex(/^[a-z0-9-]+$/))),
  lessons: v.optional(v.record(v.string(), LessonInfo), {}),
});

export interface CourseEntry {
  id: string;
  title: string;
  summary: string;
  level: 'beginner' | 'intermediate' | 'advanced';
  minutes: number;
  teaches: string;
  steps: number;
  /** Steps with goals, for "3 of 5 done". */
  goalSteps: number;
}

const base = () => `${import.meta.env?.BASE_URL ?? '/'}scenarios/`;
let cached: Promise<CourseEntry[]> | null = null;

export function courseEntries(): Promise<CourseEntry[]> {
  cached ??= load().catch((err) => {
    cached = null;
    throw err;
  });
  return cached;
}

async function load(): Promise<CourseEntry[]> {
  const r = await fetch(`${base()}index.json`);
  if (!r.ok) throw new Error(`the course could not be loaded (${r.status})`);
  const parsed = v.safeParse(CourseIndex, await r.json());
  if (!parsed.success) throw new Error('the course index is damaged');
  const { scenarios, lessons } = parsed.output;
  return Promise.all(
    scenarios.map(async (id) => {
      const s = await loadBuiltin(id);
      const info = lessons[id] ?? {};
      return {
        id,
        title: s.title,
        summary: s.summary,
        level: info.level ?? 'intermediate',
        minutes: info.minutes ?? Math.max(5, s.steps.length * 3),
        teaches: info.teaches ?? s.summary,
        steps: s.steps.length,
        goalSteps: s.steps.filter((st) => st.goal?.length).length,
      };
    }),
  );
}
