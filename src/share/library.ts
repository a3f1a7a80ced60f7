/**
 * The learner's scenario library in this browser: built-in scenarios (served with the app),
 * their own copies and authored scenarios (localStorage), and progress per scenario.
 */
import * as v from 'valibot';
import { isWith, type Outside } from '../../workers/protocol/outside';
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

function write<T>(key: string, value: T): void {
  globalThis.localStorage?.setItem(key, JSON.stringify(value));
}

const base = () => `${import.meta.env?.BASE_URL ?? '/'}scenarios/`;

export async function builtinIds(): Promise<string[]> {
  const r = await fetch(`${base()}index.json`);
  if (!r.ok) throw new Error(`the scenario list could not be loaded (${r.status})`);
  return ((await r.json()) as { scenarios: string[] }).scenarios;
}

/**
 * Built-in scenarios read in this page, by id: a lesson link reads its file twice as it opens
 * (for the first lab, then for the lesson), and the served files do not change under a page.
 * Each caller gets its own copy; a failed read is not kept.
 */
const builtins = new Map<string, Promise<Scenario>>();

export function loadBuiltin(id: string): Promise<Scenario> {
  let read = builtins.get(id);
  if (!read) {
    read = readBuiltin(id);
    builtins.set(id, read);
    read.catch(() => builtins.delete(id));
  }
  return read.then((s) => structuredClone(s));
}

async function readBuiltin(id: string): Promise<Scenario> {
  if (!/^[a-z0-9-]+$/.test(id)) throw new Error(`no scenario named “${id}”`);
  const r = await fetch(`${base()}${id}.json`);
  const body = await r.text();
  // A missing file is answered with the app's page by the SPA fallback: that is "no such scenario", not bad JSON.
  if (!r.ok || /^\s*</.test(body)) throw new Error(`no built-in scenario named “${id}”`);
  const parsed = parseScenario(body);
  if (!parsed.ok) throw new Error(`scenario ${id} is invalid at ${parsed.path}: ${parsed.message}`);
  return parsed.scenario;
}

/** An entry of the library this version cannot read: kept as it is, shown, exportable. */
export interface Quarantined {
  /** The entry's id, when it has one. */
  id: string | undefined;
  reason: string;
  /** The entry as stored, for export. */
  raw: Outside;
}

/** Every stored entry, readable or not, in stored order: writes go through this so nothing is dropped. */
function storedEntries(): Outside[] {
  const raw = read<Outside>(MINE, []);
  return Array.isArray(raw) ? raw : [raw];
}

const WithId = v.object({ id: v.string() });
const idOf = (x: Outside): string | undefined => (isWith(WithId, x) ? x.id : undefined);

/** The learner's own scenarios (copies of shared ones, authored ones), by id. */
export function myScenarios(): Scenario[] {
  return storedEntries().flatMap((x) => {
    const r = validateScenario(x);
    return r.ok ? [r.scenario] : [];
  });
}

/** Stored entries that fail validation (an older or damaged copy): never deleted by a save. */
export function quarantinedScenarios(): Quarantined[] {
  return storedEntries().flatMap((x) => {
    const r = validateScenario(x);
    return r.ok ? [] : [{ id: idOf(x), reason: `${r.path}: ${r.message}`, raw: x }];
  });
}

export function saveMine(s: Scenario): void {
  const r = validateScenario(s);
  if (!r.ok) throw new Error(`not saved: ${r.path}: ${r.message}`);
  const others = storedEntries().filter((x) => !(idOf(x) === s.id && validateScenario(x).ok));
  write(MINE, [...others, r.scenario]);
}

export function removeMine(id: string): void {
  write(MINE, storedEntries().filter((x) => !(idOf(x) === id && validateScenario(x).ok)));
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

export function saveProgress(id: string, p: Progress): void {
  write(PROGRESS, { ...read<Record<string, Progress>>(PROGRESS, {}), [id]: p });
}
