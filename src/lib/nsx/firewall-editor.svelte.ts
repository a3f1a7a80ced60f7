/**
 * The Firewall screen's working copy, as in the vSphere Web Client: edits stay in the browser,
 * marked unpublished, undoable, until Publish sends the whole configuration with PUT /config
 * and If-Match. Revert drops them; a saved configuration loads into the working copy and is
 * applied only by Publish. When the configuration changed on NSX Manager under unpublished
 * edits (its ETag moved on), the edits are rebased onto it (firewall-rebase.ts) instead of
 * failing with 412; a rule changed on both sides waits for the learner's choice. The working
 * copy is kept in the saved lab, so a reload or a crash loses no edit.
 */
import type { Progress } from '../progress.svelte';
import { UndoStack } from '../undo';
import { allSections, blankRule, sectionsOf, type FwConfig, type FwRule, type FwSection, type Layer } from './firewall-model';
import { rebase, type Choice, type Conflict } from './firewall-rebase';
import { RestError, type NsxClient } from './nsx-client.svelte';
import { readStatus } from './publish-status';
import type { FirewallWorkingCopy, WorkingCopyRead } from './working-copy';

export const CONFIG_PATH = '/api/4.0/firewall/globalroot-0/config';
export const DRAFTS_PATH = '/api/4.0/firewall/globalroot-0/drafts';
export const STATUS_PATH = '/api/4.0/firewall/globalroot-0/status';

export type Change = 'new' | 'modified' | undefined;

/** The codec, loaded with the first configuration read (its XML library is not in the first screen's JavaScript). */
const firewallXml = () => import('./firewall-xml');

const same = <T>(a: T, b: T) => JSON.stringify(a) === JSON.stringify(b);

export class FirewallEditor {
  published = $state.raw<FwConfig | null>(null);
  working = $state.raw<FwConfig | null>(null);
  etag = $state('');
  loading = $state(false);
  error = $state('');
  /** Where the working copy came from when it was loaded from a saved configuration. */
  loadedFrom = $state('');
  /** Rules (or sections) changed both here and on NSX Manager, waiting for keep mine / take theirs. */
  conflicts = $state.raw<Conflict[]>([]);
  choices = $state<Record<string, Choice>>({});
  /** What the last rebase did, in words, for the screen to show. */
  rebaseNote = $state('');
  /** Why the working copy kept with the lab could not be brought back. */
  restoreProblem = $state('');
  /** NSX Manager's newer configuration while conflicts wait for a choice. */
  private incoming: { config: FwConfig; etag: string } | null = null;
  /** Whether the lab was last handed an unpublished copy. */
  private keptDirty = false;
  private history = new UndoStack<FwConfig>();
  /** Bumped on every edit so `$derived` readers of the history notice. */
  private version = $state(0);
  private nextTemp = -1;

  constructor(
    private readonly nsx: NsxClient,
    private readonly progress: Progress,
    /** Lets the lab's clock run while hosts apply a publish. */
    private readonly wait: (seconds: number) => Promise<void>,
    /** Keeps the working copy with the lab (undefined: nothing unpublished). */
    private readonly keep: (copy: FirewallWorkingCopy | undefined) => void = () => {},
  ) {}

  /** A lab was opened: forget the last lab's copy and take the one this lab kept (read with readWorkingCopy), if any. */
  restore(read: WorkingCopyRead | undefined): void {
    this.published = null;
    this.working = null;
    this.etag = '';
    this.loadedFrom = '';
    this.error = '';
    this.clearRebase();
    this.rebaseNote = '';
    this.keptDirty = false;
    this.history.clear();
    this.version++;
    this.restoreProblem = '';
    if (read === undefined) return;
    if (!read.ok) {
      this.restoreProblem = `The unpublished firewall changes kept with this lab could not be read (${read.message}); this screen shows NSX Manager's configuration.`;
      return;
    }
    this.published = read.copy.base;
    this.working = read.copy.working;
    this.keptDirty = true;
    this.etag = read.copy.etag;
    this.loadedFrom = read.copy.loadedFrom;
    this.version++;
  }

  /** Hands the working copy to the lab after every change, so autosave keeps it. */
  private changed(): void {
    this.version++;
    const dirty = !!this.working && !!this.published && !same(this.working, this.published);
    if (!dirty && !this.keptDirty) return;
    this.keptDirty = dirty;
    this.keep(dirty ? { etag: this.etag, loadedFrom: this.loadedFrom, base: this.published!, working: this.working! } : undefined);
  }

  private clearRebase(): void {
    this.conflicts = [];
    this.choices = {};
    this.incoming = null;
  }

  async load(): Promise<void> {
    this.loading = true;
    try {
      const { body, etag } = await this.nsx.getText(CONFIG_PATH);
      const config = (await firewallXml()).readConfig(body);
      this.published = config;
      this.etag = etag || String(config.generationNumber);
      this.working = structuredClone(config);
      this.loadedFrom = '';
      this.history.clear();
      this.clearRebase();
      this.changed();
      this.error = '';
    } catch (err) {
      this.error = (err as Error).message;
      throw err;
    } finally {
      this.loading = false;
    }
  }

  /** Loads once; screens that only need rule names call this. */
  async ensure(): Promise<void> {
    if (!this.published && !this.loading) await this.load().catch(() => undefined);
  }

  // ---- change tracking --------------------------------------------------------

  get dirty(): boolean {
    void this.version;
    return !!this.working && !!this.published && !same(this.working, this.published);
  }

  ruleChange(rule: FwRule): Change {
    if (rule.id <= 0) return 'new';
    const before = this.published && allSections(this.published).flatMap((s) => s.rules).find((r) => r.id === rule.id);
    if (!before) return 'new';
    return same(before, rule) ? undefined : 'modified';
  }

  sectionChange(section: FwSection): Change {
    if (section.id <= 0) return 'new';
    const list = this.published ? sectionsOf(this.published, section.type) : [];
    const i = list.findIndex((s) => s.id === section.id);
    if (i < 0) return 'new';
    const mine = this.working ? sectionsOf(this.working, section.type).findIndex((s) => s.id === section.id) : i;
    const { rules: _a, ...head } = list[i];
    const { rules: _b, ...now } = section;
    return same(head, now) && i === mine && same(list[i].rules.map((r) => r.id), section.rules.map((r) => r.id)) ? undefined : 'modified';
  }

  /** Rules in the published configuration that the working copy no longer has. */
  get deletedRules(): number {
    void this.version;
    if (!this.published || !this.working) return 0;
    const now = allSections(this.working).flatMap((s) => s.rules.map((r) => r.id));
    return allSections(this.published).flatMap((s) => s.rules).filter((r) => !now.includes(r.id)).length;
  }

  // ---- undo / redo -------------------------------------------------------------

  get canUndo(): boolean {
    void this.version;
    return this.history.canUndo;
  }
  get canRedo(): boolean {
    void this.version;
    return this.history.canRedo;
  }
  get undoLabel(): string {
    void this.version;
    return this.history.undoLabel ?? '';
  }
  get redoLabel(): string {
    void this.version;
    return this.history.redoLabel ?? '';
  }

  undo(): void {
    if (!this.working) return;
    const label = this.history.undoLabel;
    const prev = this.history.undo(this.working);
    if (prev) this.working = prev;
    if (prev && label?.startsWith('load saved configuration')) this.loadedFrom = '';
    this.changed();
  }

  redo(): void {
    if (!this.working) return;
    const next = this.history.redo(this.working);
    if (next) this.working = next;
    this.changed();
  }

  // ---- edits --------------------------------------------------------------------

  private edit(label: string, fn: (c: FwConfig) => void): void {
    if (!this.working) return;
    const next = structuredClone(this.working);
    fn(next);
    this.history.record(label, this.working);
    this.working = next;
    this.changed();
  }

  private findSection(c: FwConfig, id: number): FwSection {
    const s = allSections(c).find((x) => x.id === id);
    if (!s) throw new Error(`no section ${id}`);
    return s;
  }

  /** Index of the first default rule, or the end: new and moved rules stay above it. */
  private defaultIndex(s: FwSection): number {
    const i = s.rules.findIndex((r) => r.isDefault);
    return i < 0 ? s.rules.length : i;
  }

  /** A temporary id below every id the working copy holds (a restored or rebased copy has its own). */
  private freshId(): number {
    const c = this.working;
    const lowest = c ? Math.min(0, ...allSections(c).flatMap((s) => [s.id, ...s.rules.map((r) => r.id)])) : 0;
    this.nextTemp = Math.min(this.nextTemp, lowest - 1);
    return this.nextTemp--;
  }

  addSection(name: string, layer: Layer = 'LAYER3'): number {
    const id = this.freshId();
    this.edit(`add section ${name}`, (c) => {
      const section: FwSection = { id, name, type: layer, generationNumber: 0, timestamp: 0, tcpStrict: false, stateless: layer === 'LAYER2', useSid: false, rules: [] };
      sectionsOf(c, layer).unshift(section);
    });
    return id;
  }

  renameSection(id: number, name: string): void {
    this.edit(`rename section to ${name}`, (c) => (this.findSection(c, id).name = name));
  }

  deleteSection(id: number): void {
    this.edit(`delete section ${id}`, (c) => {
      for (const layer of ['LAYER3', 'LAYER2'] as const) {
        const list = sectionsOf(c, layer);
        const i = list.findIndex((s) => s.id === id);
        if (i >= 0 && !list[i].rules.some((r) => r.isDefault)) list.splice(i, 1);
      }
    });
  }

  moveSection(id: number, delta: -1 | 1): void {
    this.edit(`move section ${id} ${delta < 0 ? 'up' : 'down'}`, (c) => {
      for (const layer of ['LAYER3', 'LAYER2'] as const) {
        const list = sectionsOf(c, layer);
        const i = list.findIndex((s) => s.id === id);
        const j = i + delta;
        // The default section stays last.
        if (i < 0 || j < 0 || j >= list.length || list[j].rules.some((r) => r.isDefault) || list[i].rules.some((r) => r.isDefault)) continue;
        [list[i], list[j]] = [list[j], list[i]];
      }
    });
  }

  /** Adds a blank rule at the top of a section (or the given rule), returns its temporary id. */
  addRule(sectionId: number, rule?: Partial<FwRule>): number {
    const id = this.freshId();
    this.edit(`add rule ${rule?.name ?? 'New Rule'}`, (c) => {
      this.findSection(c, sectionId).rules.unshift({ ...blankRule(id), ...rule, id });
    });
    return id;
  }

  updateRule(sectionId: number, rule: FwRule): void {
    this.edit(`edit rule ${rule.name || rule.id}`, (c) => {
      const s = this.findSection(c, sectionId);
      const i = s.rules.findIndex((r) => r.id === rule.id);
      if (i >= 0) s.rules[i] = structuredClone(rule);
    });
  }

  setDisabled(sectionId: number, ruleId: number, disabled: boolean): void {
    this.edit(`${disabled ? 'disable' : 'enable'} rule ${ruleId}`, (c) => {
      const r = this.findSection(c, sectionId).rules.find((x) => x.id === ruleId);
      if (r && !r.isDefault) r.disabled = disabled;
    });
  }

  deleteRule(sectionId: number, ruleId: number): void {
    this.edit(`delete rule ${ruleId}`, (c) => {
      const s = this.findSection(c, sectionId);
      s.rules = s.rules.filter((r) => r.id !== ruleId || r.isDefault);
    });
  }

  /** Moves a rule one place; at a section's edge it moves into the neighbouring section. */
  moveRule(sectionId: number, ruleId: number, delta: -1 | 1): void {
    this.edit(`move rule ${ruleId} ${delta < 0 ? 'up' : 'down'}`, (c) => {
      const s = this.findSection(c, sectionId);
      const i = s.rules.findIndex((r) => r.id === ruleId);
      if (i < 0 || s.rules[i].isDefault) return;
      const j = i + delta;
      if (j >= 0 && j < this.defaultIndex(s)) {
        [s.rules[i], s.rules[j]] = [s.rules[j], s.rules[i]];
        return;
      }
      const list = sectionsOf(c, s.type);
      const k = list.indexOf(s) + delta;
      if (k < 0 || k >= list.length) return;
      const [rule] = s.rules.splice(i, 1);
      const target = list[k];
      if (delta < 0) target.rules.splice(this.defaultIndex(target), 0, rule);
      else target.rules.unshift(rule);
    });
  }

  // ---- publish, revert, saved configurations ----------------------------------------

  /** Drops the unpublished edits: the working copy becomes NSX Manager's newest known configuration. */
  revert(): void {
    if (this.incoming) {
      this.published = this.incoming.config;
      this.etag = this.incoming.etag;
    }
    if (!this.published) return;
    this.working = structuredClone(this.published);
    this.loadedFrom = '';
    this.clearRebase();
    this.history.clear();
    this.changed();
  }

  /**
   * Reads NSX Manager's configuration and, if its generation moved on, brings the working copy
   * up to it: unpublished edits are rebased onto it, or wait in `conflicts` for a choice.
   */
  async follow(): Promise<'current' | 'rebased' | 'conflict'> {
    const { body, etag: sent } = await this.nsx.getText(CONFIG_PATH);
    const theirs = (await firewallXml()).readConfig(body);
    const etag = sent || String(theirs.generationNumber);
    if (etag === this.etag && !this.incoming) return 'current';
    if (!this.dirty) {
      this.published = theirs;
      this.etag = etag;
      this.working = structuredClone(theirs);
      this.loadedFrom = '';
      this.history.clear();
      this.clearRebase();
      this.changed();
      return 'current';
    }
    this.incoming = { config: theirs, etag };
    return this.applyIncoming();
  }

  /** Keep mine or take theirs for one conflict. */
  choose(key: string, choice: Choice): void {
    this.choices = { ...this.choices, [key]: choice };
  }

  /** Rebases onto the waiting newer configuration with the choices made so far. */
  private applyIncoming(): 'rebased' | 'conflict' {
    const incoming = this.incoming;
    if (!incoming || !this.published || !this.working) return 'rebased';
    const base = this.published;
    const result = rebase(base, this.working, incoming.config, this.choices);
    if (result.conflicts.length) {
      this.conflicts = result.conflicts;
      return 'conflict';
    }
    const from = base.generationNumber;
    this.history.map((state) => rebase(base, state, incoming.config, this.choices).config);
    this.published = incoming.config;
    this.etag = incoming.etag;
    this.working = result.config;
    this.rebaseNote = `NSX Manager's configuration changed while you edited (generation ${from} → ${incoming.config.generationNumber}); your unpublished changes were applied on top of it.`;
    this.clearRebase();
    this.changed();
    return 'rebased';
  }

  /**
   * PUT /config with If-Match, then follows per-host publish status while the hosts apply it.
   * A 412 (the configuration changed since it was read) rebases and tries again; conflicts stop
   * it with `'conflict'` until the learner chooses.
   */
  async publish(): Promise<'published' | 'conflict'> {
    if (this.incoming && this.applyIncoming() === 'conflict') return 'conflict';
    if (!this.working) return 'published';
    let outcome: 'published' | 'conflict' = 'published';
    const { configXml } = await firewallXml();
    await this.progress.run('Publishing firewall configuration', async (update) => {
      for (let attempt = 0; ; attempt++) {
        update('sending the configuration to NSX Manager');
        try {
          await this.nsx.call('PUT', CONFIG_PATH, configXml(this.working!), { 'If-Match': this.etag });
          break;
        } catch (err) {
          if (!(err instanceof RestError && err.status === 412) || attempt >= 3) throw err;
          update('the configuration changed on NSX Manager: applying your changes on top of it');
          if ((await this.follow()) === 'conflict') {
            outcome = 'conflict';
            return;
          }
        }
      }
      for (let i = 0; i < 30; i++) {
        const { doc } = await this.nsx.getXml(STATUS_PATH);
        const hosts = readStatus(doc).hosts;
        const done = hosts.filter((h) => h.status === 'published').length;
        update(`${done} of ${hosts.length} hosts applied the rules`, hosts.length ? done / hosts.length : undefined);
        if (hosts.every((h) => h.status !== 'inprogress')) break;
        await this.wait(1);
      }
    });
    if (outcome === 'published') await this.load();
    return outcome;
  }

  async saveAs(name: string, description: string): Promise<void> {
    if (!this.working) return;
    await this.nsx.call('POST', DRAFTS_PATH, (await firewallXml()).draftXml(name, description, this.working));
  }

  /** Loads a saved configuration into the working copy; Publish applies it. */
  async loadSaved(id: string, name: string): Promise<void> {
    if (!this.working) await this.load();
    const { body } = await this.nsx.getText(`${DRAFTS_PATH}/${encodeURIComponent(id)}`);
    const { layer3Sections, layer2Sections, redirectSections } = (await firewallXml()).readDraft(body);
    this.edit(`load saved configuration ${name}`, (c) => {
      c.layer3Sections = layer3Sections;
      c.layer2Sections = layer2Sections;
      if (redirectSections) c.redirectSections = redirectSections;
      else delete c.redirectSections;
    });
    this.loadedFrom = name;
    this.changed();
  }

  /** Rule id → name and section, from the published configuration, for traces. */
  ruleInfo(id: number): { name: string; section: string } | undefined {
    const c = this.published;
    if (!c) return undefined;
    for (const s of allSections(c)) {
      const r = s.rules.find((x) => x.id === id);
      if (r) return { name: r.name, section: s.name };
    }
    return undefined;
  }
}
