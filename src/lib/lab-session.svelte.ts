/**
 * The open lab as the screens see it: reactive inventory and event log, refreshed from lab
 * messages. Screens call the LabApi and render this state; they never reach into components.
 */
import { Lab, type Transport } from '../../workers/lab/lab-boot';
import { LabApi } from '../../workers/lab/lab-api';
import type { BootDocument } from '../../workers/lab/lab-document';
import type { LabEvent } from '../../workers/protocol/events';
import type { Inventory } from '../../workers/protocol/inventory';
import { markBoot } from './boot-marks';
import type { FirewallWorkingCopy } from './nsx/working-copy';

const EVENT_LOG_LIMIT = 2000;

export class LabSession {
  status = $state<'booting' | 'ready' | 'failed'>('booting');
  error = $state('');
  inventory = $state<Inventory | null>(null);
  events = $state<LabEvent[]>([]);
  clock = $state(0);
  /** The lab's units answer; until then the screens show the document it started from. */
  live = $state(false);
  /** Reactive: a screen shown from a kept view (showSaved) reads again once the lab has started. */
  api = $state.raw<LabApi | null>(null);
  /** Who waits for the next lab to start (started()). */
  private startWaiters: { resolve: (api: LabApi) => void; reject: (err: Error) => void }[] = [];
  // Autosave listens here for anything that may have changed the lab.
  private changeListeners: (() => void)[] = [];
  private bootListeners: (() => void)[] = [];
  private shownListeners: (() => void)[] = [];

  /** Called each time a booted lab's document is on the screens, before its units answer. */
  onShown(listener: () => void): void {
    this.shownListeners.push(listener);
  }

  /**
   * Shows what the screens showed of the last lab when it was saved (first-view.ts) before the
   * lab database has even been read: the inventory screens render it, an action waits for the
   * lab (started()), and boot() replaces it (or the workspace takes it away if another lab opens).
   */
  showSaved(view: { inventory: Inventory; clock: number }): void {
    this.inventory = view.inventory;
    this.clock = view.clock;
    this.status = 'ready';
    markBoot('saved-view-shown');
    for (const listener of this.shownListeners) listener();
  }

  /** The running lab's API, or the next one's once it starts (a learner's action on a kept view). */
  started(): Promise<LabApi> {
    if (this.api) return Promise.resolve(this.api);
    return new Promise((resolve, reject) => this.startWaiters.push({ resolve, reject }));
  }

  /** The lab could not be opened: nothing will start, and whoever waits for it is told why. */
  fail(message: string): void {
    this.status = 'failed';
    this.error = message;
    this.settleWaiters(new Error(message));
  }

  private settleWaiters(outcome: LabApi | Error): void {
    const waiters = this.startWaiters;
    this.startWaiters = [];
    for (const w of waiters) {
      if (outcome instanceof Error) w.reject(outcome);
      else w.resolve(outcome);
    }
  }

  /** Called each time a lab has been booted, before the screens see it. */
  onBoot(listener: () => void): void {
    this.bootListeners.push(listener);
  }

  /** Keeps a screen's unpublished edits with the lab, so autosave saves them. */
  keepWorkingCopy(key: string, copy: FirewallWorkingCopy | undefined): void {
    if (!this.api) return;
    this.api.lab.keepWorkingCopy(key, copy);
    this.changed();
  }

  onChange(listener: () => void): () => void {
    this.changeListeners.push(listener);
    return () => (this.changeListeners = this.changeListeners.filter((l) => l !== listener));
  }

  private changed(): void {
    this.heardRevision = this.api?.lab.revision ?? -1;
    for (const listener of this.changeListeners) listener();
  }

  /** The lab's revision when the listeners last heard of a change: a re-read that finds it moved tells them. */
  private heardRevision = -1;

  /**
   * Starts `doc` and shows it at once: the inventory, clock and event log are read from the
   * document while the units (workers) load, so the screens and the learner's first action need
   * not wait for them; every operation waits in the lab's queue until they answer (`live`).
   * `saved` is what the screens showed of this lab when it was saved (first-view.ts), shown
   * when the document's vCenter is still as stored parts (its unit joins them).
   */
  async boot(doc: BootDocument, transport: Transport, saved?: Inventory): Promise<void> {
    let lab: Lab | null = null;
    let loaded = false;
    try {
      markBoot('boot-start');
      this.live = false;
      lab = Lab.start(doc, transport);
      const api = new LabApi(lab);
      this.api = api;
      // The client's session logs in to NSX Manager, as the vSphere Web Client's NSX plug-in
      // does (audit log): first in the lab's queue, before any screen's request.
      const login = api.login('admin', 'ui', true).catch(() => undefined);
      for (const listener of this.bootListeners) listener();
      this.settleWaiters(api);
      this.events = lab.events.slice(-EVENT_LOG_LIMIT);
      this.clock = lab.now;
      this.inventory = api.bootInventory() ?? saved ?? null;
      if (this.inventory) {
        this.status = 'ready';
        markBoot('document-shown');
      }
      for (const listener of this.shownListeners) listener();
      await lab.loaded;
      loaded = true;
      markBoot('units-loaded');
      await login;
      let live = false;
      lab.onEvents((added) => {
        if (live) this.events = [...this.events, ...added].slice(-EVENT_LOG_LIMIT);
        this.changed();
      });
      await this.refresh();
      // The lab's first settle shows in the log at once, when it is over: re-rendering the log
      // after each of its waves would hold up every next wave.
      this.events = lab.events.slice(-EVENT_LOG_LIMIT);
      live = true;
      this.live = true;
      markBoot('first-inventory');
      this.status = 'ready';
    } catch (err) {
      // A lab whose units did not load cannot run: nothing may be sent to it.
      if (lab && !loaded) {
        lab.dispose();
        this.api = null;
      }
      this.fail((err as Error).message);
    }
  }

  /** Re-reads what the screens show after an operation. */
  async refresh(): Promise<void> {
    if (!this.api) return;
    this.inventory = await this.api.inventory();
    this.clock = this.api.lab.now;
    // A re-read after a read-only operation (a goal check's dry run, a GET) changed nothing: no save for it.
    if (this.api.lab.revision !== this.heardRevision) this.changed();
  }

  dispose(): void {
    this.api?.lab.dispose();
    this.api = null;
    this.live = false;
  }
}
