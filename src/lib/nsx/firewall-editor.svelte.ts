/**
 * The Firewall screen's working copy, as in the vSphere Web Client: edits stay in the browser,
 * marked unpublished, undoable, until Publish sends the whole configuration with PUT /config
 * and If-Match. Revert drops them; a saved configuration loads into the working copy and is
 * applied only by Publish.
 */
import type { Progress } from '../progress.svelte';
import { UndoStack } from '../undo';
import { blankRule, configXml, draftXml, parseConfig, type FwConfig, type FwRule, type FwSection, type Layer } from './firewall-model';
import type { NsxClient } from './nsx-client.svelte';
import { readStatus } from './publish-status';
import { obj } from './xml';

export const CONFIG_PATH = '/api/4.0/firewall/globalroot-0/config';
export const DRAFTS_PATH = '/api/4.0/firewall/globalroot-0/drafts';
export const STATUS_PATH = '/api/4.0/firewall/globalroot-0/status';

export type Change = 'new' | 'modified' | undefined;

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

export class FirewallEditor {
  published = $state.raw<FwConfig | null>(null);
  working = $state.raw<FwConfig | null>(null);
  etag = $state('');
  loading = $state(false);
  error = $state('');
  /** Where the working copy came from when it was loaded from a saved configuration. */
  loadedFrom = $state('');
  private history = new UndoStack<FwConfig>();
  /** Bumped on every edit so `$derived` readers of the history notice. */
  private version = $state(0);
  private nextTemp = -1;

  constructor(
    private readonly nsx: NsxClient,
    private readonly progress: Progress,
    /** Lets the lab's clock run while hosts apply a publish. */
    private readonly wait: (seconds: number) => Promise<void>,
  ) {}

  async load(): Promise<void> {
    this.loading = true;
    try {
      const { doc, etag } = await this.nsx.getXml(CONFIG_PATH);
      const config = parseConfig(obj(doc.firewallConfiguration));
      this.published = config;
      this.etag = etag || String(config.generationNumber);
      this.working = structuredClone(config);
      this.loadedFrom = '';
      this.history.clear();
      this.version++;
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
    const before = this.published && [...this.published.layer3, ...this.published.layer2].flatMap((s) => s.rules).find((r) => r.id === rule.id);
    if (!before) return 'new';
    return same(before, rule) ? undefined : 'modified';
  }

  sectionChange(section: FwSection): Change {
    if (section.id <= 0) return 'new';
    const list = this.published ? (section.type === 'LAYER3' ? this.published.layer3 : this.published.layer2) : [];
    const i = list.findIndex((s) => s.id === section.id);
    if (i < 0) return 'new';
    const mine = this.working ? (section.type === 'LAYER3' ? this.working.layer3 : this.working.layer2).findIndex((s) => s.id === section.id) : i;
    const { rules: _a, ...head } = list[i];
    const { rules: _b, ...now } = section;
    return same(head, now) && i === mine && same(list[i].rules.map((r) => r.id), section.rules.map((r) => r.id)) ? undefined : 'modified';
  }

  /** Rules in the published configuration that the working copy no longer has. */
  get deletedRules(): number {
    void this.version;
    if (!this.published || !this.working) return 0;
    const now = [...this.working.layer3, ...this.working.layer2].flatMap((s) => s.rules.map((r) => r.id));
    return [...this.published.layer3, ...this.published.layer2].flatMap((s) => s.rules).filter((r) => !now.includes(r.id)).length;
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
    const prev = this.history.undo(this.working);
    if (prev) this.working = prev;
    this.version++;
  }

  redo(): void {
    if (!this.working) return;
    const next = this.history.redo(this.working);
    if (next) this.working = next;
    this.version++;
  }

  // ---- edits --------------------------------------------------------------------

  private edit(label: string, fn: (c: FwConfig) => void): void {
    if (!this.working) return;
    const next = structuredClone(this.working);
    fn(next);
    this.history.record(label, this.working);
    this.working = next;
    this.version++;
  }

  private sections(c: FwConfig, layer: Layer): FwSection[] {
    return layer === 'LAYER3' ? c.layer3 : c.layer2;
  }

  private findSection(c: FwConfig, id: number): FwSection {
    const s = [...c.layer3, ...c.layer2].find((x) => x.id === id);
    if (!s) throw new Error(`no section ${id}`);
    return s;
  }

  /** Index of the first default rule, or the end: new and moved rules stay above it. */
  private defaultIndex(s: FwSection): number {
    const i = s.rules.findIndex((r) => r.isDefault);
    return i < 0 ? s.rules.length : i;
  }

  addSection(name: string, layer: Layer = 'LAYER3'): number {
    const id = this.nextTemp--;
    this.edit(`add section ${name}`, (c) => {
      const section: FwSection = { id, name, type: layer, generationNumber: 0, managedBy: '', tcpStrict: false, stateless: layer === 'LAYER2', useSid: false, rules: [] };
      this.sections(c, layer).unshift(section);
    });
    return id;
  }

  renameSection(id: number, name: string): void {
    this.edit(`rename section to ${name}`, (c) => (this.findSection(c, id).name = name));
  }

  deleteSection(id: number): void {
    this.edit(`delete section ${id}`, (c) => {
      for (const layer of ['LAYER3', 'LAYER2'] as const) {
        const list = this.sections(c, layer);
        const i = list.findIndex((s) => s.id === id);
        if (i >= 0 && !list[i].rules.some((r) => r.isDefault)) list.splice(i, 1);
      }
    });
  }

  moveSection(id: number, delta: -1 | 1): void {
    this.edit(`move section ${id} ${delta < 0 ? 'up' : 'down'}`, (c) => {
      for (const layer of ['LAYER3', 'LAYER2'] as const) {
        const list = this.sections(c, layer);
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
    const id = this.nextTemp--;
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
      const list = this.sections(c, s.type);
      const k = list.indexOf(s) + delta;
      if (k < 0 || k >= list.length) return;
      const [rule] = s.rules.splice(i, 1);
      const target = list[k];
      if (delta < 0) target.rules.splice(this.defaultIndex(target), 0, rule);
      else target.rules.unshift(rule);
    });
  }

  // ---- publish, revert, saved configurations ----------------------------------------

  revert(): void {
    if (!this.published) return;
    this.working = structuredClone(this.published);
    this.loadedFrom = '';
    this.history.clear();
    this.version++;
  }

  /** PUT /config with If-Match, then follows per-host publish status while the hosts apply it. */
  async publish(): Promise<void> {
    const working = this.working;
    if (!working) return;
    await this.progress.run('Publishing firewall configuration', async (update) => {
      update('sending the configuration to NSX Manager');
      await this.nsx.call('PUT', CONFIG_PATH, configXml(working), { 'If-Match': this.etag });
      for (let i = 0; i < 30; i++) {
        const { doc } = await this.nsx.getXml(STATUS_PATH);
        const hosts = readStatus(doc).hosts;
        const done = hosts.filter((h) => h.status === 'published').length;
        update(`${done} of ${hosts.length} hosts applied the rules`, hosts.length ? done / hosts.length : undefined);
        if (hosts.every((h) => h.status !== 'inprogress')) break;
        await this.wait(1);
      }
    });
    await this.load();
  }

  async saveAs(name: string, description: string): Promise<void> {
    if (!this.working) return;
    await this.nsx.call('POST', DRAFTS_PATH, draftXml(name, description, this.working));
  }

  /** Loads a saved configuration into the working copy; Publish applies it. */
  async loadSaved(id: string, name: string): Promise<void> {
    if (!this.working) await this.load();
    const { doc } = await this.nsx.getXml(`${DRAFTS_PATH}/${encodeURIComponent(id)}`);
    const config = parseConfig(obj(obj(doc.firewallDraft).config));
    this.edit(`load saved configuration ${name}`, (c) => {
      c.layer3 = config.layer3;
      c.layer2 = config.layer2;
    });
    this.loadedFrom = name;
  }

  /** Rule id → name and section, from the published configuration, for traces. */
  ruleInfo(id: number): { name: string; section: string } | undefined {
    const c = this.published;
    if (!c) return undefined;
    for (const s of [...c.layer3, ...c.layer2]) {
      const r = s.rules.find((x) => x.id === id);
      if (r) return { name: r.name, section: s.name };
    }
    return undefined;
  }
}
