/**
 * The learner's scenario library in this browser: built-in scenarios (served with the app),
 * their own copies and authored scenarios (localStorage), and progress per scenario.
 */
import { parseScenario, validateScenario, type Scenario } from '../../workers/scenario/schema';

const MINE = 'dfw-lab/scenarios/mine';
const PROGRESS = 'dfw-lab/scenarios/progress';

export interface Progress {
  /** Steps whose goals have held (0-based indexes). */
  done: number[];
  /** The step the learner was on. */
  step: number;
}

function read<T>(key: string, fallback: T): T {
  try {
    const raw = globalThis.localStorage?.getItem(key);
    return raw ? (JSON.parse(raw) as T) : fallback;
  } catch {
    return fallback;
  }
}

function write(key: string, value: unknown): void {
  globalThis.localStorage?.setItem(key, JSON.stringify(value));
}

const base = () => `${import.meta.env?.BASE_URL ?? '/'}scenarios/`;

export async function builtinIds(): Promise<string[]> {
  const r = await fetch(`${base()}index.json`);
  if (!r.ok) throw new Error(`the scenario list could not be loaded (${r.status})`);
  return ((await r.json()) as { scenarios: string[] }).scenarios;
}

export async function loadBuiltin(id: string): Promise<Scenario> {
  if (!/^[a-z0-9-]+$/.test(id)) throw new Error(`no scenario named “${id}”`);
  const r = await fetch(`${base()}${id}.json`);
  if (!r.ok) throw new Error(`no built-in scenario named “${id}”`);
  const parsed = parseScenario(await r.text());
  if (!parsed.ok) throw new Error(`scenario ${id} is invalid at ${parsed.path}: ${parsed.message}`);
  return parsed.scenario;
}

/** The learner's own scenarios (copies of shared ones, authored ones), by id. */
export function myScenarios(): Scenario[] {
  const raw = read<unknown[]>(MINE, []);
  return raw.flatMap((x) => {
    const r = validateScenario(x);
    return r.ok ? [r.scenario] : [];
  });
}

export function saveMine(s: Scenario): void {
  const r = validateScenario(s);
  if (!r.ok) throw new Error(`not saved: ${r.path}: ${r.message}`);
  write(MINE, [...myScenarios().filter((x) => x.id !== s.id), r.scenario]);
}

export function removeMine(id: string): void {
  write(MINE, myScenarios().filter((x) => x.id !== id));
}

/** A free id for a copy: `id`, else `id-copy`, `id-copy-2`, … */
export function freeId(id: string, taken: string[]): string {
  if (!taken.includes(id)) return id;
  for (let n = 1; ; n++) {
    const candidate = n === 1 ? `${id}-copy` : `${id}-copy-${n}`;
    if (!taken.includes(candidate)) return candidate;
  }
}

export async function findScenario(id: string): Promise<Scenario> {
  return myScenarios().find((s) => s.id === id) ?? loadBuiltin(id);
}

export function progressOf(id: string): Progress {
  return read<Record<string, Progress>>(PROGRESS, {})[id] ?? { done: [], step: 0 };
}

export function saveProgress(id: string, p: Progress): void {
  write(PROGRESS, { ...read<Record<string, Progress>>(PROGRESS, {}), [id]: p });
}
