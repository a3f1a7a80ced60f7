/**
 * The open lab and the saved labs: which lab this tab has open, whether it may write it
 * (Web Locks), its autosave, and the list the Labs screen manages. The app opens the last
 * lab from IndexedDB on start, or makes the first one from the classroom preset.
 */
import type { BootDocument, LabDocument } from '../../workers/lab/lab-document';
import { CLASSROOM, buildLab } from '../../workers/lab/presets/build-lab';
import type { LabSession } from '../lib/lab-session.svelte';
import { Autosave, type SaveState } from './autosave';
import type { LabSummary } from './db';
import { downloadText } from './download';
import { type LabLock, claimLab, heldLabs, whenLabFree } from './lab-lock';
import { describeRefusal, labFileName, labToText, plainDocument } from './lab-file';
import { documentParts, HEAD_KEY, type BareLabAction, type PartRef } from '../../workers/lab/lab-storage';
import { ActionJournal, forgetJournal, journalToReplay } from './action-journal';
import { type ImportedLab, prepareImport } from './lab-import';
import type { PreparedLab } from './prepared-lab';
import { LabStore, StalePartsError } from './lab-store';
import { startLabWriter } from './lab-writer';
import { saveFailureMessage } from './storage-errors';
import { forgetUnsavedCopies, keepUnsavedCopies, unsavedCopies } from './unsaved-copies';
import { StorageQuota } from './storage-quota.svelte';
import { hasSavedLabs, rememberSavedLabs } from './saved-labs-hint';
import { type FirstView, firstViewOf, keepFirstView, keptFirstView, markFirstViewCurrent } from './first-view';
import { VCENTER } from '../../workers/protocol/messages/vcenter';
import type { Inventory } from '../../workers/protocol/inventory';
import { markBoot } from '../lib/boot-marks';
import { asError } from '../../workers/protocol/outside';

const LAST_LAB = 'lastLab';

/**
 * The settled classroom lab under `name`, or null if it did not load. Its history (the preset's,
 * then the settling `advance 0`) is renamed with it, so its compact link rebuilds the same lab.
 */
async function firstDocument(settled: Promise<LabDocument> | undefined, name: string): Promise<LabDocument | null> {
  const doc = await settled?.catch(() => null);
  return doc ? { ...doc, name, ...(doc.history ? { history: { ...doc.history, name } } : {}) } : null;
}

type WorkspaceMode = 'starting' | 'editing' | 'read-only' | 'unsaved';

/**
 * The lesson a link opened as a first visit (before any lab was saved), with the lab it starts
 * in: when that is the settled classroom, the first lab (booting already) becomes the lesson's
 * and the lesson takes it (claimFirstLab) rather than booting a second one.
 */
export interface FirstLessonLab {
  lesson: string;
  doc: LabDocument;
  name: string;
}

/** What an import found: refused, ready to add, or in conflict with a lab of the same name. */
type ImportCheck =
  | { kind: 'refused'; message: string }
  | { kind: 'ready'; doc: ImportedLab }
  | { kind: 'conflict'; doc: ImportedLab; existing: LabSummary };

/** The document with the screens' working copies replaced by `copies`. */
function withCopies(doc: BootDocument, copies: Record<string, unknown>): BootDocument {
  const { workingCopies: _, ...rest } = doc;
  return Object.keys(copies).length ? { ...rest, workingCopies: copies } : rest;
}

export class Workspace {
  labId = $state<string | null>(null);
  name = $state('');
  mode = $state<WorkspaceMode>('starting');
  saveState = $state<SaveState>('idle');
  saveError = $state('');
  /** Read-only tab: the tab that held the lab has let it go. */
  otherTabClosed = $state(false);
  labs = $state<LabSummary[]>([]);
  /** Labs another tab has open: not deleted or replaced from here. */
  heldElsewhere = $state<string[]>([]);
  readonly quota = new StorageQuota();
  store: LabStore | null = null;

  private lock: LabLock | null = null;
  /** The last lab opened, as the settings named it when this tab started (until it opens one). */
  private lastLab: string | undefined;
  private waiting: AbortController | null = null;
  private readonly autosave: Autosave;
  /** How many times the working copies were kept in localStorage as the page hid (unsaved-copies.ts). */
  private copiesKept = 0;
  /** The open lab's actions its saves have not stored yet (action-journal.ts); null while the store's mark of it is not known. */
  private journal: ActionJournal | null = null;
  /** Actions a journal kept for the lab being opened, replayed as soon as it boots (before any screen's request). */
  private replayOnBoot: { labId: string; head: number; actions: BareLabAction[] | null } | null = null;
  /** The replay of the lab last opened, once it has run. */
  private replayed: Promise<void> = Promise.resolve();

  constructor(
    private readonly session: LabSession,
    private readonly bootLab: (doc: BootDocument, saved?: Inventory) => Promise<void>,
  ) {
    this.autosave = new Autosave(
      () => this.saveOpenLab(),
      ({ state, error }) => {
        this.saveState = state;
        this.saveError = error ? saveFailureMessage(error) : '';
      },
    );
    session.onChange(() => {
      if (this.mode === 'editing') this.autosave.schedule();
    });
    session.onBoot(() => this.journalFromBoot());
  }

  /**
   * A lab just booted (its units still loading): one that open() read from the store starts its
   * journal at the stored lab, and first replays what the last page's journal kept (queued right
   * after the session's login, before any screen's request). Any other boot (a lesson's reset)
   * has no journal until its first save commits (saveOpenLab).
   */
  private journalFromBoot(): void {
    const lab = this.session.api?.lab;
    const opening = this.replayOnBoot;
    this.replayOnBoot = null;
    this.journal = null;
    if (!lab || !opening || opening.labId !== this.labId || this.mode !== 'editing') return;
    const journal = new ActionJournal(opening.labId, lab, { head: opening.head, actions: lab.actionsAtStart });
    this.journal = journal;
    if (!opening.actions?.length) return;
    this.replayed = lab.replay(opening.actions).then(
      () => void journal.keep(),
      () => undefined,
    );
  }

  /** The store holds the document `lab` booted from, as `parts`: its journal starts there. */
  private journalFromStored(parts: readonly PartRef[]): void {
    const lab = this.session.api?.lab;
    const head = parts.find((p) => p.key === HEAD_KEY);
    if (lab && head && this.labId && this.mode === 'editing') this.journal = new ActionJournal(this.labId, lab, { head: head.hash, actions: lab.actionsAtStart });
  }

  /**
   * Opens the last lab, or the first one; `opening` is the database if the app has started
   * opening it already, `settled` the classroom lab with its boot already run (first visits).
   */
  start(opening: Promise<LabStore> = LabStore.open(undefined, undefined, startLabWriter), settled?: Promise<LabDocument>, lesson?: () => Promise<FirstLessonLab | null>): Promise<void> {
    return this.startNow(opening, settled, lesson).finally(() => this.markStarted());
  }

  private markStarted!: () => void;
  /**
   * Settles once start() has opened the first lab (or failed to): until then `mode` is
   * 'starting', and whether labs can be saved is not known yet.
   */
  readonly started = new Promise<void>((resolve) => (this.markStarted = resolve));

  private async startNow(opening: Promise<LabStore>, settled: Promise<LabDocument> | undefined, lesson: (() => Promise<FirstLessonLab | null>) | undefined): Promise<void> {
    // A tab going to the background may be discarded without notice: save what is pending now.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'hidden') this.leaving();
    });
    // Closing or reloading: start the save at once (what the REST bridge answered is in the journal already).
    window.addEventListener('pagehide', () => this.leaving());
    // A first visit has nothing to load: the classroom lab starts now, while the database opens.
    let first = hasSavedLabs() ? null : this.bootFirstLab(settled, CLASSROOM.title);
    // …and when a lesson link opened it, that lesson may start in this very lab (read meanwhile),
    // as soon as it is booted (claimFirstLab): the lab is saved meanwhile.
    const lessonLab = first ? this.firstLabOfLesson(settled, lesson).then((lab) => this.takeForLesson(lab)) : Promise.resolve(null);
    // Whether the first lab stays open is known once the database has been read (or failed).
    let firstLabKept!: () => void;
    const kept = new Promise<void>((resolve) => (firstLabKept = resolve));
    if (first) this.firstLabBooted = Promise.all([lessonLab, first.booted, kept]).then(() => undefined, () => undefined);
    // A later one shows the last lab as it was saved (first-view.ts) while the database opens.
    if (!first) this.showKeptView();
    try {
      this.store = await opening;
      markBoot('store-open');
      const [last, labs] = await Promise.all([this.store.settings.get<string>(LAST_LAB), this.store.list()]);
      this.lastLab = last;
      rememberSavedLabs(labs.length > 0);
      const target = labs.find((l) => l.id === last) ?? labs[0];
      if (target) {
        // Labs saved before this browser kept the hint: the last one is opened instead.
        this.firstLabClosed = true;
        this.firstLesson = null;
        firstLabKept();
        if (first) await first.booted;
        first = null;
        await this.open(target.id);
      } else {
        firstLabKept();
        await this.saveFirstLab(this.store, first ?? this.bootFirstLab(settled, await this.store.freeName(CLASSROOM.title)), lessonLab);
      }
    } catch (err) {
      firstLabKept();
      this.keepUnsaved(asError(err));
      if (first) {
        await lessonLab;
        return void (await first.booted);
      }
      this.name = CLASSROOM.title;
      await this.bootLab(buildLab());
    } finally {
      this.earlyView = null;
    }
  }

  /** The view shown before the database answered (showKeptView), until the lab it names is read. */
  private earlyView: FirstView | null = null;

  private showKeptView(): void {
    const view = keptFirstView();
    if (!view) return;
    this.earlyView = view;
    this.name = view.name;
    this.session.showSaved(view);
  }

  /** Boots the settled classroom lab (or the bare preset if it did not load) under `name`, unsaved yet. */
  private bootFirstLab(settled: Promise<LabDocument> | undefined, name: string): { doc: Promise<LabDocument>; booted: Promise<void> } {
    this.name = name;
    this.session.status = 'booting';
    const doc = firstDocument(settled, name).then((d) => d ?? buildLab(CLASSROOM, 1, name));
    return { doc, booted: doc.then((d) => this.bootLab(d)) };
  }

  /**
   * A lesson link opened as the first visit, whose lesson starts in the settled classroom lab
   * (lessonLabDocument gives that very document): the first lab, booting already, is the
   * lesson's, saved under the lesson's name. Else null (the lesson starts a lab of its own).
   */
  private async firstLabOfLesson(settled: Promise<LabDocument> | undefined, lesson: (() => Promise<FirstLessonLab | null>) | undefined): Promise<FirstLessonLab | null> {
    if (!lesson || !settled) return null;
    const [first, classroom] = await Promise.all([lesson().catch(() => null), settled.catch(() => null)]);
    return first && classroom && first.doc === classroom ? first : null;
  }

  /** The lesson whose lab is the first lab running (bootFirstLab), until the lesson takes it or another lab opens. */
  private firstLesson: string | null = null;
  /** Settles once the first lab is booted and it is known whether it is a lesson's (firstLabOfLesson). */
  private firstLabBooted: Promise<void> = Promise.resolve();
  /** Another lab was opened: a lesson read late does not take the first lab any more. */
  private firstLabClosed = false;

  /**
   * The lesson `id` takes the lab booted for it as this visit's first lab, once it is booted:
   * true once (then the lesson runs in it, saved under `labId` once its first save is done
   * (started), or unsaved when storage is blocked), false when the running lab is not that lab.
   */
  async claimFirstLab(id: string): Promise<boolean> {
    await this.firstLabBooted;
    const mine = this.firstLesson === id && this.session.api !== null;
    this.firstLesson = null;
    return mine;
  }

  /**
   * The first visit: the classroom lab boots at once and is saved meanwhile, rather than
   * saved, read back and only then booted. A failed save leaves it running, unsaved.
   */
  private async saveFirstLab(store: LabStore, first: { doc: Promise<LabDocument>; booted: Promise<void> }, lessonLab: Promise<FirstLessonLab | null>): Promise<void> {
    let stored: PreparedLab | null = null;
    try {
      await lessonLab; // the lesson's lab is saved under the lesson's name
      // The booted lab keeps its document unchanged (Lab.start), so it can be serialised now.
      const doc = plainDocument(await first.doc);
      const prepared: PreparedLab = { name: doc.name, format: doc.format, parts: documentParts(doc) };
      const made = await store.create(prepared, this.name, 'preset');
      markBoot('preset-saved');
      this.labId = made.id;
      stored = prepared;
      rememberSavedLabs(true);
      await this.hold(made.id);
      await this.afterWrite();
    } catch (err) {
      this.keepUnsaved(asError(err));
    }
    await first.booted;
    // The units run the document just stored: its parts are theirs until a message changes a
    // component, so the first save serialises only those (not the whole lab in every worker).
    if (stored && this.mode === 'editing') {
      await this.session.api?.lab.storedAsBooted(stored.parts).catch(() => undefined);
      this.journalFromStored(stored.parts);
    }
    // The boot's first changes may have come before the lab was ours to save.
    if (this.mode === 'editing') this.autosave.schedule();
  }

  /** The first lab is the lesson's (firstLabOfLesson): named after it, and claimed by it (claimFirstLab). */
  private takeForLesson(lab: FirstLessonLab | null): FirstLessonLab | null {
    if (!lab || this.firstLabClosed) return null;
    this.name = lab.name;
    this.firstLesson = lab.lesson;
    return lab;
  }

  /** Storage blocked: the learner still gets a lab, and is told it will not be kept. */
  private keepUnsaved(err: Error): void {
    this.store = null;
    this.mode = 'unsaved';
    this.saveError = saveFailureMessage(err);
  }

  /** Takes the open lab's lock (read-only when another tab has it) and remembers it as the last lab. */
  private async hold(id: string): Promise<void> {
    this.keep(id, await claimLab(id));
    await this.rememberLast(id);
  }

  /** Makes `lock` the open lab's: editing when it is owned, else read-only until the other tab lets go. */
  private keep(id: string, lock: LabLock): void {
    this.lock = lock;
    this.mode = lock.owned ? 'editing' : 'read-only';
    this.otherTabClosed = false;
    if (!lock.owned) this.watchOtherTab(id);
  }

  /** Names `id` the last lab in the settings (opening the lab they just named writes nothing). */
  private async rememberLast(id: string): Promise<void> {
    const named = this.lastLab;
    this.lastLab = undefined;
    if (named !== id) await this.requireStore().settings.set(LAST_LAB, id);
  }

  /** Closes the open lab (saving it first) and opens a saved one. */
  async open(id: string): Promise<boolean> {
    const store = this.requireStore();
    await this.closeCurrent({ save: true });
    // Components stay as stored: each unit joins and checks its own in its worker, and reads
    // their parts there too, unless another tab holds the lab (it may save while the units read:
    // then the page reads every part in one transaction, as the last consistent revision). The
    // lock is claimed before the read, so nothing stands between the read and the boot: the
    // units' reads are the rest of the lab's load.
    const lock = await claimLab(id);
    let opened: Awaited<ReturnType<LabStore['open']>>;
    try {
      opened = await store.open(id, { unitsRead: lock.owned });
    } catch (err) {
      lock.release();
      throw err;
    }
    const { summary, read } = opened;
    markBoot('lab-read');
    // What the screens showed of this revision when it was saved: shown until the workers answer.
    // A view shown before the database answered that is not of this revision goes now.
    const view = firstViewOf(id, summary.revision);
    // Kept already: the first save that changes vCenter keeps it again, the others mark it current.
    this.viewKept = view && { labId: id, revision: summary.revision, vcenter: store.knownParts(id)?.get(`component/${VCENTER}`) };
    if (this.earlyView && !view) this.clearScreens();
    this.earlyView = null;
    this.name = summary.name;
    if (!read.ok) {
      lock.release();
      this.labId = id;
      this.mode = 'read-only';
      this.session.fail(`“${summary.name}” cannot be opened: ${describeRefusal(read)}`);
      return false;
    }
    this.keep(id, lock);
    // Written while the lab boots (awaited after it: a failure still fails the open).
    const remembered = this.rememberLast(id);
    remembered.catch(() => undefined);
    // Named open in the same step the lab starts: the screens (a lesson resuming) take a lab
    // with this id and a ready status to be one they can send to.
    this.labId = id;
    if (!view) this.session.status = 'booting';
    // Edits the last page kept as it went, before its save could finish, are put back (and saved).
    const kept = this.mode === 'editing' ? unsavedCopies(id) : null;
    // Actions the last page answered (a REST write) before their save committed are played again first.
    const head = store.knownParts(id)?.get(HEAD_KEY);
    this.replayOnBoot = this.mode === 'editing' && head !== undefined ? { labId: id, head, actions: journalToReplay(id, head) } : null;
    const replay = this.replayOnBoot?.actions;
    await this.bootLab(kept ? withCopies(read.doc, kept) : read.doc, view?.inventory);
    await remembered;
    if (!this.session.api) {
      // The boot failed, e.g. a component its unit refused (damaged or hand-edited parts): nothing runs, nothing is saved over it.
      this.lock?.release();
      this.lock = null;
      this.mode = 'read-only';
      this.session.error = `“${summary.name}” cannot be opened: ${this.session.error}`;
      return false;
    }
    await this.replayed;
    if (kept || replay?.length) this.autosave.schedule();
    // A migrated lab is written back in the current format once it is ours.
    if (read.migratedFrom !== undefined && this.mode === 'editing') await this.autosave.flush();
    await this.refreshList();
    return this.session.api !== null; // boot() catches its own failures and leaves api unset
  }

  /**
   * A new saved lab that starts at once from `doc` (a lesson's lab): written while its units
   * boot and never read back, as a first visit's lab is (saveFirstLab). The open lab is saved
   * and closed first. Resolves once the new lab runs, or with null when it could not start.
   */
  async startLab(doc: LabDocument, name: string): Promise<LabSummary | null> {
    const store = this.requireStore();
    await this.closeCurrent({ save: true });
    // No lab of this tab's until the new one is stored: nothing is autosaved meanwhile.
    this.mode = 'starting';
    this.labId = null;
    this.name = name;
    this.session.status = 'booting';
    let booted: Promise<void> | null = null;
    let prepared: PreparedLab | null = null;
    let made: LabSummary | null = null;
    try {
      this.name = await store.freeName(name);
      const plain = plainDocument({ ...doc, name: this.name });
      prepared = { name: this.name, format: plain.format, parts: documentParts(plain) };
      booted = this.bootLab(plain);
      made = await store.create(prepared, this.name, 'import');
      this.labId = made.id;
      rememberSavedLabs(true);
      await this.hold(made.id);
    } catch (err) {
      this.keepUnsaved(asError(err));
    }
    // Not started (storage failed before): the caller boots it unsaved.
    if (!booted) return null;
    await booted;
    // (hold() has set the mode meanwhile: read it again.)
    if (made && prepared && this.currentMode() === 'editing' && this.session.api) {
      await this.session.api.lab.storedAsBooted(prepared.parts).catch(() => undefined);
      this.journalFromStored(prepared.parts);
      this.autosave.schedule();
    }
    // The Labs list and the storage estimate are not what the learner waits for.
    if (made && this.store) void this.afterWrite().catch(() => undefined);
    return this.session.api ? made : null;
  }

  private currentMode(): WorkspaceMode {
    return this.mode;
  }

  /**
   * Replaces the running lab with `doc` in place (a lesson's Start over or Reset step): the same
   * saved lab, booted into the workers the running lab lets go.
   */
  async bootInPlace(doc: LabDocument): Promise<void> {
    this.session.dispose();
    await this.bootLab(doc);
  }

  async createFromPreset(name: string): Promise<LabSummary> {
    const store = this.requireStore();
    const made = await store.create(buildLab(CLASSROOM, 1, name), await store.freeName(name), 'preset');
    await this.afterWrite();
    return made;
  }

  async rename(id: string, name: string): Promise<void> {
    const trimmed = name.trim();
    if (!trimmed) throw new Error('a lab needs a name');
    await this.requireStore().rename(id, trimmed);
    if (id === this.labId) this.name = trimmed;
    await this.refreshList();
  }

  async duplicate(id: string): Promise<LabSummary> {
    const store = this.requireStore();
    if (id === this.labId && this.mode === 'editing') await this.autosave.flush();
    const source = this.labs.find((l) => l.id === id);
    const copy = await store.duplicate(id, await store.freeName(`${source?.name ?? 'Lab'} copy`));
    await this.afterWrite();
    return copy;
  }

  /** Read-only tab: keeps what this tab has as a new lab of its own, and opens it. */
  async saveCopyOfOpenLab(): Promise<void> {
    const store = this.requireStore();
    const doc = await this.snapshotOpenLab();
    const made = await store.create(doc, await store.freeName(`${this.name} copy`), 'copy');
    await this.afterWrite();
    this.lock?.release();
    this.lock = null;
    this.mode = 'starting'; // the running lab is what was just saved: no save on the way out
    await this.open(made.id);
  }

  async remove(id: string): Promise<void> {
    const store = this.requireStore();
    await this.refreshList();
    if (this.heldElsewhere.includes(id)) throw new Error('this lab is open in another tab; close it there first');
    const wasOpen = id === this.labId;
    if (wasOpen) await this.closeCurrent({ save: false });
    await store.delete(id);
    forgetUnsavedCopies(id);
    forgetJournal(id);
    await this.refreshList();
    if (wasOpen) {
      const next = this.labs.find((l) => !this.heldElsewhere.includes(l.id));
      await this.open(next ? next.id : (await this.createFromPreset(CLASSROOM.title)).id);
    }
  }

  /** The open lab as it is now (saved or not), or a saved lab as stored. */
  async exportLab(id: string): Promise<void> {
    let doc: LabDocument;
    if (id === this.labId && this.session.api) doc = await this.snapshotOpenLab();
    else doc = JSON.parse(await this.requireStore().storedJson(id)) as LabDocument;
    downloadText(labFileName(doc.name), labToText(doc));
  }

  /**
   * Reads a lab file in a worker (parsed, checked and split into parts there, and kept there until
   * stored) and finds a lab of the same name. A checked file is stored by importLab or let go with
   * its `discard()`.
   */
  async checkImport(text: string): Promise<ImportCheck> {
    const read = await prepareImport(text, this.store?.db.name);
    if (!read.ok) return { kind: 'refused', message: `This lab was not imported: ${describeRefusal(read)}` };
    try {
      // The list only: a storage estimate here would queue behind (and slow) the save that follows.
      const existing = (await this.requireStore().list()).find((l) => l.name === read.lab.name);
      return existing ? { kind: 'conflict', doc: read.lab, existing } : { kind: 'ready', doc: read.lab };
    } catch (err) {
      read.lab.discard();
      throw err;
    }
  }

  /** Adds an imported lab (a checked file, written by its worker, or a document), or, when the learner said so, replaces an existing one. */
  async importLab(doc: LabDocument | ImportedLab, replace?: LabSummary): Promise<LabSummary> {
    const store = this.requireStore();
    const imported = 'discard' in doc ? doc : null;
    if (!replace) {
      const name = await store.freeName(doc.name).catch((err: Error) => {
        imported?.discard();
        throw err;
      });
      const made = imported ? await imported.create(store, name) : await store.create(doc as LabDocument, name, 'import');
      await this.afterWrite();
      return made;
    }
    try {
      await this.refreshList();
      if (this.heldElsewhere.includes(replace.id)) throw new Error(`“${replace.name}” is open in another tab; close it there first`);
    } catch (err) {
      imported?.discard();
      throw err;
    }
    const isOpen = replace.id === this.labId;
    if (isOpen) await this.closeCurrent({ save: false });
    const saved = imported ? await imported.replace(store, replace.id) : await store.save(replace.id, doc as LabDocument);
    forgetUnsavedCopies(replace.id);
    forgetJournal(replace.id);
    await this.afterWrite();
    if (isOpen) await this.open(replace.id);
    return saved;
  }

  async refreshList(): Promise<void> {
    if (!this.store) return;
    const [labs, held] = await Promise.all([this.store.list(), heldLabs()]);
    this.labs = labs;
    rememberSavedLabs(labs.length > 0);
    this.heldElsewhere = [...held].filter((id) => !(id === this.labId && this.lock?.owned));
    this.quota.largestLab = Math.max(0, ...labs.map((l) => l.size * 2));
    this.keepView();
    await this.quota.refresh();
  }

  /** The open lab's revision this tab last kept as the first view (keepView), and the hash of vCenter's stored part then. */
  private viewKept: { labId: string; revision: number; vcenter: number | undefined } | null = null;

  /**
   * Keeps what the screens show of the open lab as the next load's first view (first-view.ts),
   * while the lab is live (the inventory is the lab's, not a kept view): the inventory only when
   * vCenter's stored state changed since it was kept (its own part's hash changes with any of its
   * parts), else a marker of the saved revision. A firewall edit's save serialises no inventory.
   */
  private keepView(): void {
    const summary = this.labs.find((l) => l.id === this.labId);
    const inventory = this.session.inventory;
    if (!summary || !inventory || !this.session.live || this.mode !== 'editing') return;
    const kept = this.viewKept;
    if (kept?.labId === summary.id && kept.revision === summary.revision) return;
    const vcenter = this.store?.knownParts(summary.id)?.get(`component/${VCENTER}`);
    this.viewKept = { labId: summary.id, revision: summary.revision, vcenter };
    const current = { labId: summary.id, revision: summary.revision, name: summary.name, clock: this.session.clock };
    if (kept?.labId === summary.id && vcenter !== undefined && kept.vcenter === vcenter) markFirstViewCurrent(current);
    else keepFirstView({ ...current, inventory });
  }

  /**
   * The page is hidden or going: the save may not finish (it needs the workers, which go with
   * the page), so the screens' unpublished edits are first kept synchronously, then the save starts.
   */
  private leaving(): void {
    const lab = this.session.api?.lab;
    const state = this.autosave.state;
    if (this.mode === 'editing' && this.labId && lab && state !== 'saved' && state !== 'idle') {
      keepUnsavedCopies(this.labId, lab.allWorkingCopies());
      this.copiesKept++;
    }
    if (this.mode === 'editing') this.journal?.keep();
    void this.flush();
  }

  /** Saves now; used before the page goes away. */
  flush(): Promise<void> {
    return this.mode === 'editing' ? this.autosave.flush() : Promise.resolve();
  }

  /**
   * A REST write was applied: kept before it is answered, so a reload or a closed tab right after
   * the answer keeps it. The journal keeps it at once (localStorage, synchronously) and the save
   * follows soon, without the answer waiting for it; without a journal the answer waits for the save.
   */
  keepAnswered(): Promise<void> {
    if (this.mode !== 'editing') return Promise.resolve();
    if (!this.journal?.keep()) return this.autosave.flush();
    this.autosave.schedule();
    return Promise.resolve();
  }

  dispose(): void {
    this.autosave.cancel();
    this.lock?.release();
    this.waiting?.abort();
    this.store?.close();
  }

  /** A lesson's goal check is starting: the open lab's due autosave waits until after it (Autosave.postpone). */
  postponeSave(): void {
    this.autosave.postpone();
  }

  /** The open lab as its last save found it (Lab.revision moves with any change), or null. */
  private lastSaved: { lab: object; revision: number } | null = null;

  /** Nothing to save: no save due or running, and the open lab has not changed since the last one. */
  private savedAsIs(): boolean {
    const lab = this.session.api?.lab;
    return this.autosave.state === 'saved' && !!lab && this.lastSaved?.lab === lab && this.lastSaved.revision === lab.revision;
  }

  private async saveOpenLab(): Promise<void> {
    const store = this.requireStore();
    const id = this.labId;
    const lab = this.session.api?.lab;
    if (!id || !lab) return;
    // Read before the units are asked: a change during the save leaves the lab unsaved as it is.
    const revision = lab.revision;
    const keptBefore = this.copiesKept;
    const since = performance.now();
    // Each unit sends only the parts that changed since the last save it was told of (lab-parts.ts PartChanges).
    const known = store.knownParts(id);
    // Where this save takes the lab's parts (Lab.partsTakenAt): the journal keeps the actions after it until it commits.
    const isOpen = () => this.session.api?.lab === lab && this.labId === id && this.mode === 'editing';
    const at: { mark: typeof lab.partsTakenAt } = { mark: null };
    const taken = <T>(parts: T) => {
      at.mark = lab.partsTakenAt;
      if (at.mark && isOpen()) this.journal?.saving(at.mark);
      return parts;
    };
    const changes = known && taken(await lab.changedParts(known));
    let saved: LabSummary;
    if (changes) saved = await store.saveChanges(id, changes, since);
    else {
      // The units do not know yet what the store holds (a lab booted from a document): every part's hash, JSON where it differs.
      try {
        saved = await store.saveParts(id, taken(await lab.snapshotParts(known)), since);
      } catch (err) {
        if (!(err instanceof StalePartsError)) throw err;
        saved = await store.saveParts(id, taken(await lab.snapshotParts()), since);
      }
    }
    const mark = at.mark;
    await lab.partsStored();
    this.lastSaved = { lab, revision };
    // A lab booted in place (a lesson's reset) has its journal from its first save on.
    if (mark && isOpen()) {
      if (this.journal) this.journal.saved(mark);
      else this.journal = new ActionJournal(id, lab, mark);
    }
    // Stored now, unless the page hid (and kept newer copies) while this save ran.
    if (this.copiesKept === keptBefore) forgetUnsavedCopies(id);
    this.savedInPlace(saved);
  }

  /**
   * After an autosave of the open lab: its one summary is updated in the list, in place. The
   * other labs, the locks and the storage estimate are what the Labs screen reads when it opens
   * (refreshList), not after every save.
   */
  private savedInPlace(saved: LabSummary): void {
    const at = this.labs.findIndex((l) => l.id === saved.id);
    if (at < 0) return;
    if (this.labs[at].revision !== saved.revision || this.labs[at].size !== saved.size) {
      // The list is most recently changed first: the saved lab goes to the top.
      this.labs = [saved, ...this.labs.slice(0, at), ...this.labs.slice(at + 1)];
      this.quota.largestLab = Math.max(this.quota.largestLab, saved.size * 2);
    }
    this.keepView();
  }

  private async snapshotOpenLab(): Promise<LabDocument> {
    if (!this.session.api) throw new Error('the lab is not running');
    return { ...(await this.session.api.lab.snapshot()), name: this.name };
  }

  private async afterWrite(): Promise<void> {
    await this.quota.askPersistOnce(this.requireStore().settings);
    await this.refreshList();
  }

  private async closeCurrent({ save }: { save: boolean }): Promise<void> {
    this.firstLesson = null;
    this.firstLabClosed = true;
    // A lab already saved as it is (a lesson opened from the Lessons list right after the
    // classroom's autosave) is not saved again: that would ask every unit for its changes first.
    if (save && this.mode === 'editing' && !this.savedAsIs()) await this.autosave.flush();
    else this.autosave.cancel();
    this.journal = null;
    this.waiting?.abort();
    this.waiting = null;
    this.lock?.release();
    this.lock = null;
    this.session.dispose();
    // Nothing open yet but the kept view: it stays until the lab is read (open()).
    if (!this.earlyView) this.clearScreens();
  }

  private clearScreens(): void {
    this.session.inventory = null;
    this.session.status = 'booting';
  }

  private watchOtherTab(id: string): void {
    const waiting = new AbortController();
    this.waiting = waiting;
    whenLabFree(id, waiting.signal).then(
      () => {
        if (this.labId === id) this.otherTabClosed = true;
      },
      () => undefined,
    );
  }

  private requireStore(): LabStore {
    if (!this.store) throw new Error('labs cannot be saved in this browser');
    return this.store;
  }
}
