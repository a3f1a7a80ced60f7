/**
 * Lab documents carry their format (`dfw-lab/lab@N`) and are carried forward one version at
 * a time by pure functions, so a lab saved by an older DFW Lab still opens. A lab from a newer
 * DFW Lab is refused: guessing at fields we do not know could silently lose the learner's work.
 */
import { LAB_FORMAT } from '../../workers/lab/lab-document';
import type { Outside } from '../../workers/protocol/outside';

const LAB_FORMAT_PREFIX = 'dfw-lab/lab@';

/** The version this build reads and writes (`dfw-lab/lab@1`). */
export const CURRENT_LAB_VERSION = Number(LAB_FORMAT.slice(LAB_FORMAT_PREFIX.length));

export type JsonObject = Record<string, unknown>;

interface Migration {
  from: number;
  /** Always `from + 1`: one step per format version keeps every step small and testable. */
  to: number;
  /** Pure: receives a private copy and returns the document in the next format. */
  up: (doc: JsonObject) => JsonObject;
}

export type MigrationRegistry = ReadonlyMap<number, Migration>;

type MigrationResult =
  | { ok: true; doc: JsonObject; from: number; applied: number[] }
  | { ok: false; path: string; message: string };

/** Builds a registry, refusing gaps and duplicates at start-up rather than on a learner's lab. */
export function defineMigrations(list: Migration[]): MigrationRegistry {
  const registry = new Map<number, Migration>();
  for (const m of list) {
    if (m.to !== m.from + 1) throw new Error(`migration @${m.from}→@${m.to}: a migration moves exactly one version`);
    if (registry.has(m.from)) throw new Error(`two migrations from @${m.from}`);
    registry.set(m.from, m);
  }
  return registry;
}

/** Migrations of real formats. `@1` is the first format DFW Lab shipped, so there are none yet. */
export const LAB_MIGRATIONS: MigrationRegistry = defineMigrations([]);

/** The N of `dfw-lab/lab@N`, or undefined when the value is not a lab format string. */
export function labFormatVersion(format: Outside): number | undefined {
  if (typeof format !== 'string' || !format.startsWith(LAB_FORMAT_PREFIX)) return undefined;
  const n = format.slice(LAB_FORMAT_PREFIX.length);
  return /^(0|[1-9]\d*)$/.test(n) ? Number(n) : undefined;
}

/** Carries a parsed lab document forward to `current`. Never modifies its input. */
export function migrateLab(input: Outside, registry: MigrationRegistry = LAB_MIGRATIONS, current = CURRENT_LAB_VERSION): MigrationResult {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return { ok: false, path: '$', message: 'this is not a DFW Lab lab: expected a JSON object' };
  }
  const format = (input as JsonObject).format;
  const from = labFormatVersion(format);
  if (from === undefined) {
    return { ok: false, path: '$.format', message: `this is not a DFW Lab lab: format is ${JSON.stringify(format) ?? 'missing'}, expected "${LAB_FORMAT_PREFIX}N"` };
  }
  if (from > current) {
    return {
      ok: false,
      path: '$.format',
      message: `this lab was saved by a newer DFW Lab (format ${LAB_FORMAT_PREFIX}${from}); this version reads up to ${LAB_FORMAT_PREFIX}${current}. Reload DFW Lab while online to update it, then try again.`,
    };
  }
  let doc = input as JsonObject;
  const applied: number[] = [];
  for (let v = from; v < current; v++) {
    const step = registry.get(v);
    if (!step) return { ok: false, path: '$.format', message: `no migration from ${LAB_FORMAT_PREFIX}${v} to ${LAB_FORMAT_PREFIX}${v + 1}` };
    doc = step.up(structuredClone(doc));
    if (labFormatVersion(doc.format) !== step.to) {
      return { ok: false, path: '$.format', message: `migration from ${LAB_FORMAT_PREFIX}${v} produced format ${String(doc.format)}` };
    }
    applied.push(step.to);
  }
  return { ok: true, doc, from, applied };
}
