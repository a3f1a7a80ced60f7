/**
 * The open lab's actions that its saves have not stored yet, kept synchronously in localStorage,
 * so a REST write can be answered before its save: a reload or a closed tab right after the
 * answer reopens the stored lab and replays them (the lab is deterministic: the same actions on
 * the same stored lab give the same lab). A save takes its parts at a mark (the head part's hash
 * and how many actions had run, Lab.partsTakenAt); the journal keeps the actions since the last
 * committed mark, and the marks of saves under way, so whichever of them the store ends up
 * holding, the replay starts where that save left off. Saved labs' parts are not changed by it.
 */
import * as v from 'valibot';
import type { Lab } from '../../workers/lab/lab-boot';
import { bareAction, type BareLabAction } from '../../workers/lab/lab-storage';
import { actionSchema } from '../../workers/lab/lab-document';
import { parseWith, type Outside } from '../../workers/protocol/outside';

const PREFIX = 'dfw-lab.journal.';
/** A journal is a few edits' worth of actions; a longer one (a huge REST body) is left to the save. */
const MAX_JOURNAL_CHARS = 1_000_000;

interface Mark {
  /** The hash of the lab's head part in that save (lab-parts.ts HEAD_KEY). */
  head: number;
  /** How many actions had run then (Lab.actionsRun). */
  actions: number;
}

const count = v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(Number.MAX_SAFE_INTEGER));
const JournalSchema = v.strictObject({
  marks: v.array(v.strictObject({ head: v.number(), actions: count })),
  /** The action count of actions[0]. */
  first: count,
  actions: v.array(actionSchema(Number.MAX_SAFE_INTEGER)),
});

/** The page's localStorage, or null where it is blocked (reading the property can throw). */
function pageStorage(): Storage | null {
  try {
    return localStorage;
  } catch {
    return null;
  }
}

/** The actions to replay on the stored lab whose head part has the hash `storedHead`, or null (none kept, or kept for another revision: forgotten). */
export function journalToReplay(labId: string, storedHead: number | undefined, storage = pageStorage()): BareLabAction[] | null {
  const read = readJournal(labId, storage);
  const mark = read?.marks.find((m) => m.head === storedHead);
  if (!read || !mark || mark.actions < read.first) {
    forgetJournal(labId, storage);
    return null;
  }
  return read.actions.slice(mark.actions - read.first) as BareLabAction[];
}

function readJournal(labId: string, storage: Storage | null): v.InferOutput<typeof JournalSchema> | null {
  let text: string | null | undefined;
  try {
    text = storage?.getItem(PREFIX + labId);
  } catch {
    return null;
  }
  if (typeof text !== 'string') return null;
  let value: Outside;
  try {
    value = JSON.parse(text);
  } catch {
    value = null;
  }
  const parsed = parseWith(JournalSchema, value);
  return parsed.success ? parsed.output : null;
}

export function forgetJournal(labId: string, storage = pageStorage()): void {
  try {
    storage?.removeItem(PREFIX + labId);
  } catch {
    // nothing kept
  }
}

/** The journal of the lab open in this tab (which holds its lock): kept on demand, trimmed as saves commit. */
export class ActionJournal {
  /** The mark of what the store holds, then those of saves under way (oldest first). */
  private marks: Mark[];
  private written = false;

  /** `stored`: what the store holds of `lab` (the mark it booted from, or a save's). */
  constructor(
    private readonly labId: string,
    private readonly lab: Pick<Lab, 'actionsSince' | 'actionsRun'>,
    stored: Mark,
    private readonly storage = pageStorage(),
  ) {
    this.marks = [stored];
  }

  /** A save took its parts at `mark` and is writing them. */
  saving(mark: Mark): void {
    this.marks.push(mark);
  }

  /** The save that took its parts at `mark` committed: the journal starts there now. */
  saved(mark: Mark): void {
    this.marks = [mark, ...this.marks.filter((m) => m.actions > mark.actions)];
    if (this.written) this.keep();
  }

  /**
   * Writes every action since the stored mark, synchronously: true once kept (nothing to keep
   * counts), false when it could not be (the log let them go, too long, storage full or blocked):
   * then only a save keeps them.
   */
  keep(): boolean {
    const from = this.marks[0].actions;
    const actions = this.lab.actionsSince(from);
    if (!actions) return false;
    if (!actions.length) {
      forgetJournal(this.labId, this.storage);
      this.written = false;
      return true;
    }
    const text = JSON.stringify({ marks: this.marks, first: from, actions: actions.map(bareAction) });
    if (text.length > MAX_JOURNAL_CHARS) return false;
    try {
      if (!this.storage) return false;
      this.storage.setItem(PREFIX + this.labId, text);
    } catch {
      return false;
    }
    this.written = true;
    return true;
  }
}
