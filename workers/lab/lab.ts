/**
 * The lab supervisor: owns the virtual clock and the agenda, routes messages between
 * execution units wave by wave, and keeps the event log. Waves are delivered to the units in
 * a fixed order and their outputs merged in that order, so a run gives the same log whether
 * the units are in-process or in workers.
 */
import { ActionLog, bareAction, type BareLabAction, type LabAction, replayActions } from './action-log';
import type { ComponentDoc, ComponentType, Envelope } from './component';
import type { Address, MessageMap } from '../protocol/messages/envelope';
import type { LabMessages } from '../protocol/messages/lab';
import { unitsOf } from './component';
import type { LabEvent } from '../protocol/events';
import { type BootDocument, type LabDocument, type LabHistory, LAB_FORMAT, MAX_HISTORY_ACTIONS, decodeBytes, encodeBytes, isStoredComponent } from './lab-format';
import { componentOfPart, eventChunks, eventsKey, EVENTS_PER_CHUNK, headPart, isComponentPart, isSharedPart, type KnownParts, type PartChanges, partOf, type PartRef, type UnitChanges } from './lab-parts';
import { listIn } from './list-in';
import { Scheduler } from './scheduler';
import type { TraceRecord } from '../protocol/trace';
import { bodyBuffers, type ThreadCpu, type Transport, type UnitHandle } from './transport';
import type { GroupShape } from './frozen-groups';
import type { WaveOutput } from './unit';

const LAB_ID = 'lab';

/** A request to one component (see Lab.requestAll). */
interface LabRequest {
  to: string;
  kind: string;
  body?: unknown;
}

/**
 * Where a save's parts were taken: the hash of the lab's head part then and how many actions had
 * run. A journal of the actions after it (replayed on the stored lab whose head has that hash)
 * keeps what the save has not stored yet.
 */
export interface PartsMark {
  head: number;
  actions: number;
}

/** The lab's components grouped by the execution unit (worker) they run in, in document order. */
export function componentsByUnit<D extends { type: ComponentType }>(components: Record<string, D>): Map<string, Record<string, D>> {
  const byUnit = new Map<string, Record<string, D>>();
  const units = unitsOf(components);
  for (const [id, c] of Object.entries(components)) {
    const unit = units.get(id)!;
    if (!byUnit.has(unit)) byUnit.set(unit, {});
    byUnit.get(unit)![id] = c;
  }
  return byUnit;
}

/** The component types of one unit's components, each once. */
export function componentTypes(docs: Record<string, { type: ComponentType }>): ComponentType[] {
  return [...new Set(Object.values(docs).map((c) => c.type))];
}

/** Guard against a component that keeps answering itself within one instant. */
const MAX_WAVES_PER_INSTANT = 100_000;

export class Lab {
  readonly events: LabEvent[] = [];
  /** Every request and clock advance since boot, in the order they ran (replayable: action-log.ts). */
  readonly actionLog: ActionLog;
  private units = new Map<string, UnitHandle>();
  private route = new Map<string, string>();
  private agenda = new Scheduler<Envelope>();
  private clock: number;
  private nextRequestId: number;
  private nextProbeId: number;
  private replies = new Map<number, unknown>();
  private inbox: Envelope[] = [];
  private traces = new Map<number, TraceRecord[]>();
  private listeners = new Set<(events: LabEvent[]) => void>();
  /** Long-lived sessions the lab's user opened: name → the VM that holds it (changed through keepSession). */
  readonly sessions = new Map<string, string>();
  private busy: Promise<unknown> = Promise.resolve();
  /** Settles when every unit has loaded its components (see Lab.start). */
  loaded: Promise<void> = Promise.resolve();
  /** Inside dryRun(): the units its messages reached (their deliveries are marked dry); requests are not logged and events reach no listener. */
  private dry: Set<UnitHandle> | null = null;
  private workingCopies: Record<string, unknown>;
  /** JSON of full event chunks by index (snapshotParts), checked against the chunk's first and last event. */
  private fullChunks: { first: LabEvent; last: LabEvent; json: string; hash: number }[] = [];
  /** Waves delivered since boot (a dry run's included): the lesson bench counts a goal check's round trips with it. */
  wavesRun = 0;
  /** Counts what changed the lab (see revision): a dry run changes nothing. */
  private changes = 0;
  /** How many actions had run when the lab started: its document's history (see PartsMark). */
  readonly actionsAtStart: number;
  /** Where the last changedParts / snapshotParts took the lab's parts (see PartsMark). */
  partsTakenAt: PartsMark | null = null;

  /** What the lab keeps of the document it booted from: its fields without the components, whose state the units hold. */
  private readonly doc: Omit<BootDocument, 'components' | 'events' | 'pending'>;
  /** The components' ids in document order (snapshots keep it). */
  private readonly ids: string[];
  /** Each component's type, by id. */
  private readonly types: Map<string, ComponentType>;

  private constructor(
    doc: BootDocument,
    private readonly transport: Transport,
  ) {
    const { components, events: _events, pending: _pending, ...rest } = doc;
    this.doc = rest;
    this.ids = Object.keys(components);
    this.types = new Map(Object.entries(components).map(([id, c]) => [id, c.type]));
    this.clock = doc.clock;
    // A saved lab's history goes on: the actions since the preset, then this session's.
    this.actionLog = new ActionLog(undefined, doc.history?.actions ?? [], doc.clock);
    this.actionsAtStart = this.actionsRun;
    this.nextRequestId = doc.counters.request;
    this.nextProbeId = doc.counters.probe;
    this.events.push(...doc.events);
    for (const [name, vm] of Object.entries(doc.sessions ?? {})) this.sessions.set(name, vm);
    this.workingCopies = { ...doc.workingCopies };
    this.agenda.restore(
      doc.pending.map((p) => ({ at: p.at, seq: p.seq, item: decodeBytes(p.env) as Envelope })),
      doc.nextSeq,
    );
  }

    /** Components still as stored (a saved lab's parts) are joined and checked by their units, in their workers. */
  static async boot(doc: BootDocument, transport: Transport): Promise<Lab> {
    const lab = Lab.start(doc, transport);
    await lab.loaded;
    return lab;
  }

  /**
   * The lab at once, its units still loading (`loaded` settles when they are): every operation
   * waits for them, so a screen can show the document's state and take the learner's first
   * action before the workers answer. A unit that fails to load fails each operation with its reason.
   */
  static start(doc: BootDocument, transport: Transport): Lab {
    const lab = new Lab(doc, transport);
    // vCenter's inventory as the document holds it, for screens to show before the units answer
    // (none when vCenter is still as stored: its unit joins it).
    const vcenter = Object.values(doc.components).find((c) => c.type === 'vcenter');
    lab.documentInventory = vcenter && !isStoredComponent(vcenter) ? (vcenter.state as { inventory?: unknown }).inventory : undefined;
    for (const [id, unit] of unitsOf(doc.components)) lab.route.set(id, unit);
    const byUnit = componentsByUnit(doc.components);
    // Units start in parallel: in the app each is a worker whose start-up dominates boot time.
    const loads: Promise<void>[] = [];
    for (const [unitId, docs] of byUnit) {
      const handle = transport(unitId, componentTypes(docs));
      lab.units.set(unitId, handle);
      loads.push(handle.load(docs));
    }
    lab.loaded = Promise.all(loads).then(() => undefined);
    lab.loaded.catch(() => undefined); // reported by each operation, and to whoever awaits `loaded`
    return lab;
  }

  /** The inventory of the document the lab started from (see start), not a copy: readers clone it. */
  documentInventory: unknown;

  get name(): string {
    return this.doc.name;
  }

  /**
   * The classroom preset this lab came from and every action since (saved with the lab, so a
   * compact link works after a reload too), or undefined when that is not known: a lab from a
   * file or another preset, or a log that let actions go or outgrew what a link replays.
   */
  history(): LabHistory | undefined {
    if (this.actionLog.dropped > 0 || this.actionLog.actions.length > MAX_HISTORY_ACTIONS) return undefined;
    const origin = this.doc.history;
    if (!origin) return undefined;
    return { preset: origin.preset, seed: origin.seed, name: origin.name, actions: this.actionLog.actions.map(bareAction) };
  }

  /** How many actions have run since the lab's history began, those the log let go included. */
  get actionsRun(): number {
    return this.actionLog.dropped + this.actionLog.actions.length;
  }

  /** The actions run after the first `count` (actionsRun), or null when the log has let some of them go. */
  actionsSince(count: number): LabAction[] | null {
    const from = count - this.actionLog.dropped;
    return from < 0 ? null : this.actionLog.actions.slice(from);
  }

  /**
   * Plays recorded actions (a journal of what a save had not stored yet) as one operation: no
   * other request runs between them, and they are logged again as they run.
   */
  replay(actions: readonly BareLabAction[]): Promise<void> {
    return this.exclusive(() =>
      replayActions(
        {
          request: (to, kind, body) => this.requestNow(to, kind, body),
          advance: (ms) => {
            this.actionLog.advance(this.clock, ms);
            return this.runTo(this.clock + ms);
          },
          newProbeId: () => this.newProbeId(),
          keepSession: (name, vm) => this.keepSession(name, vm),
        },
        actions,
      ),
    );
  }

  private historyField(): { history?: LabHistory } {
    const history = this.history();
    return history ? { history } : {};
  }

  /** Every working copy the screens keep (see workingCopy), as a copy. */
  allWorkingCopies(): Record<string, unknown> {
    return structuredClone(this.workingCopies);
  }

  /**
   * Moves whenever the lab changes: a component handed a message that is not a query, the clock
   * moved, a working copy or session kept. A dry run and the screens' re-reads leave it as it
   * was, so whoever saves the lab can tell a re-read from a change.
   */
  get revision(): number {
    return this.changes;
  }

  /** Virtual time, epoch milliseconds. */
  get now(): number {
    return this.clock;
  }

  componentIds(): string[] {
    return [...this.route.keys()];
  }

  /** The ids of the components of one type, in document order. */
  componentsOfType(type: ComponentType): string[] {
    return this.ids.filter((id) => this.types.get(id) === type);
  }

  onEvents(listener: (events: LabEvent[]) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Queues a message from the lab; it is delivered by the next run. */
  post(to: string, kind: string, body: unknown, delayMs = 0): void {
    this.agenda.push(this.clock + delayMs, { to, from: LAB_ID, kind, body });
  }

  /** A request typed by its target's messages (workers/protocol/messages): the body and reply the component declares. */
  ask<M extends MessageMap, K extends keyof M & string>(to: Address<M>, kind: K, body: M[K]['body']): Promise<M[K]['reply']> {
    return this.request<M[K]['reply']>(to, kind, body);
  }

  /** Sends a request, runs the lab until it is quiet at the current instant and returns the answer. */
  request<T = unknown>(to: string, kind: string, body: unknown = {}): Promise<T> {
    return this.exclusive(() => this.requestNow<T>(to, kind, body));
  }

  /**
   * Several requests sent at the same instant and answered together: they share the lab's waves
   * (one run to quiet), so independent questions cost the round trips of the longest, not the
   * sum. Each answer is its value, or an Error with the reason when that request failed.
   * Only inside a dry run (its view answers it): the action log replays one request at a time,
   * so requests that shared waves would not replay alike.
   */
  requestAll(requests: readonly LabRequest[], done?: () => boolean): Promise<unknown[]> {
    void requests;
    void done;
    return Promise.reject(new Error('requests sent together are for dry runs only: a replay sends one request at a time'));
  }

  /**
   * `done`: the caller has what it asked once this holds (with every request answered): the
   * waves stop there, and what is still under way is left to the dry run's undo. Only for the
   * dry run's last question, since a later one would meet those messages half way.
   */
  private async requestAllNow(requests: readonly LabRequest[], done?: () => boolean): Promise<unknown[]> {
    const ids = requests.map(({ to, kind, body = {} }) => {
      const requestId = this.nextRequestId++;
      this.agenda.push(this.clock, { to, from: LAB_ID, kind, body, requestId });
      return requestId;
    });
    const answered = done && (() => ids.every((id) => this.replies.has(id)) && done());
    if (ids.length) await this.runTo(this.clock, answered);
    return ids.map((id, i) => {
      if (!this.replies.has(id)) return new Error(`${requests[i].to} did not answer '${requests[i].kind}'`);
      const value = this.replies.get(id);
      this.replies.delete(id);
      const error = (value as { error?: string } | null)?.error;
      return error !== undefined && Object.keys(value as object).length === 1 ? new Error(error) : value;
    });
  }

  private async requestNow<T>(to: string, kind: string, body: unknown): Promise<T> {
    if (!this.dry) this.actionLog.request(this.clock, to, kind, body);
    const requestId = this.nextRequestId++;
    this.agenda.push(this.clock, { to, from: LAB_ID, kind, body, requestId });
    await this.runTo(this.clock);
    if (!this.replies.has(requestId)) throw new Error(`${to} did not answer '${kind}'`);
    const value = this.replies.get(requestId);
    this.replies.delete(requestId);
    const error = (value as { error?: string } | null)?.error;
    if (error !== undefined && Object.keys(value as object).length === 1) throw new Error(error);
    return value as T;
  }

  /**
   * Asks "what would happen" without it happening, as Open vSwitch's `ofproto/trace` does: `work`
   * gets a view of this lab whose requests (probes, sessions, REST calls) run on the live
   * components, and when it is over every component they reached is put back as it was
   * (trackers, ARP caches, counters, flow records, logs), with the agenda, the event log, the
   * counters and the sessions. The clock stands still: a dry run cannot advance or snapshot the
   * lab. Nothing of it enters the action log, so a replay never sees it.
   */
  dryRun<T>(work: (lab: Lab) => Promise<T>): Promise<T> {
    return this.exclusive(async () => {
      // What is already due runs for real first, as any next operation would run it (and it is
      // logged so): the dry run then starts from a quiet lab and only undoes its own messages.
      this.actionLog.advance(this.clock, 0);
      await this.runTo(this.clock);
      const saved = {
        clock: this.clock,
        request: this.nextRequestId,
        probe: this.nextProbeId,
        events: this.events.length,
        inbox: [...this.inbox],
        traces: new Map([...this.traces].map(([k, v]): [number, TraceRecord[]] => [k, [...v]])),
        sessions: new Map(this.sessions),
        agenda: this.agenda.entries(),
        seq: this.agenda.sequence,
      };
      const reached = new Set<UnitHandle>();
      this.dry = reached;
      try {
        return await work(this.dryView());
      } finally {
        this.dry = null;
        await Promise.all([...reached].map((u) => u.endDryRun()));
        this.clock = saved.clock;
        this.nextRequestId = saved.request;
        this.nextProbeId = saved.probe;
        this.events.length = saved.events;
        this.inbox = saved.inbox;
        this.traces = saved.traces;
        this.replies.clear();
        this.sessions.clear();
        for (const [k, v] of saved.sessions) this.sessions.set(k, v);
        this.agenda.restore(saved.agenda, saved.seq);
      }
    });
  }

  /** This lab as a dry run's work sees it: requests run at once (the run holds the lab), time cannot move. */
  private dryView(): Lab {
    const refuse = (what: string) => () => Promise.reject(new Error(`a dry run cannot ${what}: it only asks what would happen now`));
    const overrides: Partial<Record<keyof Lab, unknown>> = {
      request: (to: string, kind: string, body: unknown = {}) => this.requestNow(to, kind, body),
      ask: (to: string, kind: string, body: unknown) => this.requestNow(to, kind, body),
      requestAll: (requests: readonly LabRequest[], done?: () => boolean) => this.requestAllNow(requests, done),
      settle: () => this.runTo(this.clock),
      advance: refuse('advance the clock'),
      snapshot: refuse('take a snapshot'),
      checkpoint: refuse('take a checkpoint'),
      dryRun: refuse('start another dry run'),
    };
    return new Proxy(this, {
      get: (target, prop) => {
        if (Object.hasOwn(overrides, prop)) return overrides[prop as keyof Lab];
        const value = Reflect.get(target, prop, target) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
  }

  /** Runs everything due up to now. */
  settle(): Promise<void> {
    return this.exclusive(() => {
      this.actionLog.advance(this.clock, 0);
      return this.runTo(this.clock);
    });
  }

  /** Advances the virtual clock, delivering every message that falls due on the way. */
  advance(ms: number): Promise<void> {
    if (!(ms >= 0) || !Number.isInteger(ms)) return Promise.reject(new Error(`cannot advance the clock by ${ms} ms: a whole number of milliseconds, 0 or more`));
    return this.exclusive(() => {
      this.actionLog.advance(this.clock, ms);
      return this.runTo(this.clock + ms);
    });
  }

  /** When the next message is due (virtual time), if any: simulation mode's "step" runs to it. */
  nextDue(): number | undefined {
    return this.agenda.peekTime();
  }

  /** Unpublished edits a screen keeps with the lab (see LabDocument.workingCopies). */
  workingCopy(key: string): unknown {
    return this.workingCopies[key];
  }

  keepWorkingCopy(key: string, copy: unknown): void {
    this.changes++;
    if (copy === undefined) delete this.workingCopies[key];
    else this.workingCopies[key] = copy;
  }

  newProbeId(): number {
    if (!this.dry) {
      this.actionLog.probeId(this.clock);
      this.changes++;
    }
    return this.nextProbeId++;
  }

  /** Remembers a session the lab's user opened (the VM holding it), or forgets it. */
  keepSession(name: string, vm: string | undefined): void {
    if (!this.dry) {
      this.actionLog.session(this.clock, name, vm);
      this.changes++;
    }
    if (vm === undefined) this.sessions.delete(name);
    else this.sessions.set(name, vm);
  }

  /** Whether a component has reported the probe's result to the lab (it stays in the inbox). */
  probeReported(probe: number): boolean {
    return this.inbox.some((e) => e.kind === 'probe-result' && (e.body as LabMessages['probe-result']['body']).probe === probe);
  }

  /** The observations recorded for a probe, in path order; forgets them. */
  takeTrace(probe: number): TraceRecord[] {
    const t = this.traces.get(probe) ?? [];
    this.traces.delete(probe);
    return t;
  }

  /** Messages components sent to the lab itself (probe results), of one kind; removes them. */
  /** The bodies of the messages of one kind components sent the lab (LabMessages), oldest first; they leave the inbox. */
  takeInbox<K extends keyof LabMessages & string>(kind: K): LabMessages[K]['body'][] {
    const taken = this.inbox.filter((e) => e.kind === kind);
    this.inbox = this.inbox.filter((e) => e.kind !== kind);
    return taken.map((e) => e.body as LabMessages[K]['body']);
  }

  snapshot(): Promise<LabDocument> {
    return this.exclusive(async () => {
      const components: Record<string, ComponentDoc> = {};
      for (const handle of this.units.values()) Object.assign(components, await handle.snapshot());
      return this.documentOf(this.ownPart(), components);
    });
  }

  /**
   * Keeps the lab as it is now without copying it to this thread: each unit keeps its
   * components' copy in its own worker (UnitHandle.checkpoint), the lab its own fields. A
   * lesson's step start: only "Reset step" reads it back (checkpointDocument), so opening a
   * step sends no snapshot of the lab to the page. A new checkpoint replaces the last one.
   */
  checkpoint(): Promise<void> {
    return this.exclusive(async () => {
      const own = this.ownPart();
      await Promise.all([...this.units.values()].map((u) => u.checkpoint()));
      this.kept = own;
    });
  }

  /** The lab document of the last checkpoint, or null when none was taken. */
  checkpointDocument(): Promise<LabDocument | null> {
    return this.exclusive(async () => {
      const own = this.kept;
      if (!own) return null;
      const components: Record<string, ComponentDoc> = {};
      for (const docs of await Promise.all([...this.units.values()].map((u) => u.checkpointed()))) {
        if (!docs) return null;
        Object.assign(components, docs);
      }
      return this.documentOf(structuredClone(own), components);
    });
  }

  /** The last checkpoint's own fields (see checkpoint). */
  private kept: Omit<LabDocument, 'components'> | null = null;

  /** The lab document's fields the lab itself holds (all but the components' state), as they are now. */
  private ownPart(): Omit<LabDocument, 'components'> {
    return {
      format: LAB_FORMAT,
      name: this.doc.name,
      seed: this.doc.seed,
      clock: this.clock,
      pending: this.agenda.entries().map((e) => ({ at: e.at, seq: e.seq, env: encodeBytes(e.item) as LabDocument['pending'][number]['env'] })),
      nextSeq: this.agenda.sequence,
      counters: { request: this.nextRequestId, probe: this.nextProbeId },
      events: [...this.events],
      sessions: Object.fromEntries(this.sessions),
      ...(Object.keys(this.workingCopies).length ? { workingCopies: structuredClone(this.workingCopies) } : {}),
      ...this.historyField(),
    };
  }

  /** A whole document: the lab's own fields with the units' components, in document order. */
  private documentOf(own: Omit<LabDocument, 'components'>, components: Record<string, ComponentDoc>): LabDocument {
    const ordered: Record<string, ComponentDoc> = {};
    for (const id of this.ids) ordered[id] = components[id];
    const { format, name, seed, clock, ...rest } = own;
    return { format, name, seed, clock, components: ordered, ...rest };
  }

  /**
   * The lab as parts (lab-parts.ts) for a save that writes only what changed: each unit
   * serialises its own components in its worker and sends JSON only for parts whose hash
   * `known` (what the store holds) does not have. The document's name is not in the parts.
   */
  snapshotParts(known?: KnownParts): Promise<PartRef[]> {
    return this.exclusive(async () => {
      // Each unit is sent only what is known of its own components (not the whole lab's map, once per worker).
      const knownByUnit = this.componentPartsByUnit(known ?? [], ([key]) => key);
      const byUnit = await Promise.all([...this.units].map(([id, u]) => u.snapshotParts(known && new Map(knownByUnit.get(id)))));
      const byId = new Map<string, PartRef[]>();
      // A shared group once, after the components' parts, however many components hold it.
      const shared = new Map<string, PartRef>();
      for (const parts of byUnit) for (const p of parts) {
        if (isSharedPart(p.key)) {
          if (!shared.has(p.key)) shared.set(p.key, p);
          continue;
        }
        listIn(byId, componentOfPart(p.key)).push(p);
      }
      const parts = this.ownParts(known);
      this.partsTakenAt = { head: parts[0].hash, actions: this.actionsRun };
      for (const id of this.ids) parts.push(...(byId.get(id) ?? []));
      parts.push(...shared.values());
      return parts;
    });
  }

  /**
   * What changed since the last save (lab-parts.ts PartChanges), given what the store holds
   * (`known`): each unit diffs its own components in its worker against what it knows is stored,
   * and only its changed parts cross to the page; the page adds the head and the event log's
   * chunks. The lab is held while every unit copies what it will serialise (takeChanges); then
   * the units serialise one at a time, each turn an operation of the lab's own, so a request
   * that comes meanwhile (an edit) runs before the next unit's turn: it waits for one unit's
   * serialising at most (a unit's deliveries wait in its worker behind its own serialising), not
   * for 64 hosts serialising on two cores. Null when a unit does not know what the store holds
   * (then save from snapshotParts). Call partsStored() once the save commits.
   */
  async changedParts(known: KnownParts): Promise<PartChanges | null> {
    const units = [...this.units.values()];
    const own = await this.exclusive(async () => {
      const taken = await Promise.all(units.map((u) => u.takeChanges()));
      if (taken.some((t) => !t)) return null;
      const parts = this.ownParts(known);
      this.partsTakenAt = { head: parts[0].hash, actions: this.actionsRun };
      return parts;
    });
    if (!own) return null;
    const byUnit: (UnitChanges | null)[] = [];
    // The groups of lists named by their bytes, as the units before found them: 64 hosts holding the same rule lines group them once.
    const told = new Map<string, GroupShape[]>();
    for (const u of units) {
      const changes = await this.exclusive(() => u.changedParts(told));
      for (const [name, shapes] of changes?.learned ?? []) told.set(name, shapes);
      byUnit.push(changes);
    }
    if (byUnit.some((c) => !c)) return null;
    const keys = new Set(own.map((p) => p.key));
    const put = own.filter((p) => p.json !== undefined);
    let size = 0;
    for (const p of own) size += p.size;
    const drop: string[] = [];
    for (const key of known.keys()) if (!isComponentPart(key) && !isSharedPart(key) && !keys.has(key)) drop.push(key);
    for (const c of byUnit as UnitChanges[]) {
      for (const p of c.put) put.push(p);
      for (const k of c.drop) drop.push(k);
      size += c.size;
    }
    const shared = await this.sharedChanges(known, units, byUnit as UnitChanges[]);
    return { put: [...put, ...shared.put], drop: [...drop, ...shared.drop], size: size + shared.size };
  }

  /**
   * The shared groups' part of a save (lab-parts.ts isSharedPart), decided for the whole lab:
   * those no component references any more are dropped, and each one the store lacks is made
   * by one unit that offered it (the others only named it), so 64 hosts holding the same rule
   * lines pack and send them once: spread over the units that offered it, each in a turn of its
   * own (as changedParts).
   */
  private async sharedChanges(known: KnownParts, units: UnitHandle[], byUnit: UnitChanges[]): Promise<PartChanges> {
    const stored = new Set([...known.keys()].filter(isSharedPart));
    const next = new Map<string, number>();
    for (const { shared } of byUnit) {
      for (const key of shared.stored) stored.add(key);
      for (const [key, size] of shared.next) next.set(key, size);
    }
    const offeredBy = new Map<string, UnitHandle[]>();
    byUnit.forEach(({ shared }, i) => {
      for (const key of shared.offered) if (!stored.has(key)) listIn(offeredBy, key).push(units[i]);
    });
    const missing = [...next.keys()].find((key) => !stored.has(key) && !offeredBy.has(key));
    if (missing) throw new Error(`the shared group ${missing} is neither stored nor offered by a unit`);
    // Each group from the unit that offered it with the fewest groups to make so far.
    const askedOf = new Map<UnitHandle, string[]>();
    for (const [key, offering] of offeredBy) {
      const unit = offering.reduce((a, b) => ((askedOf.get(b)?.length ?? 0) < (askedOf.get(a)?.length ?? 0) ? b : a));
      listIn(askedOf, unit).push(key);
    }
    const made: PartRef[][] = [];
    for (const [unit, keys] of askedOf) made.push(await this.exclusive(() => unit.sharedParts(keys)));
    let size = 0;
    for (const s of next.values()) size += s;
    return { put: made.flat(), drop: [...stored].filter((key) => !next.has(key)), size };
  }

  /**
   * The store holds the lab as the document it booted from, as `parts` (the page saved that very
   * document: a first visit's classroom lab). Each unit is told its components' parts (keys and
   * hashes, no JSON), so the next save serialises only the components a message reached since.
   */
  storedAsBooted(parts: readonly PartRef[]): Promise<void> {
    return this.exclusive(async () => {
      const byUnit = this.componentPartsByUnit(parts.map(({ key, hash, size }) => ({ key, hash, size })), (p) => p.key);
      await Promise.all([...this.units].map(([id, u]) => u.storedAsLoaded(byUnit.get(id) ?? [])));
    });
  }

  /** Component parts by the unit that runs their component (the lab's own parts, and parts of no component here, are left out). */
  private componentPartsByUnit<P>(parts: Iterable<P>, keyOf: (part: P) => string): Map<string, P[]> {
    const byUnit = new Map<string, P[]>();
    for (const part of parts) {
      const key = keyOf(part);
      // A shared group may be any unit's.
      if (isSharedPart(key)) {
        for (const unit of this.units.keys()) listIn(byUnit, unit).push(part);
        continue;
      }
      if (!isComponentPart(key)) continue;
      const unit = this.route.get(componentOfPart(key));
      if (unit !== undefined) listIn(byUnit, unit).push(part);
    }
    return byUnit;
  }

  /** The save of the last changedParts / snapshotParts committed: each unit now knows what the store holds of it. */
  partsStored(): Promise<void> {
    return this.exclusive(async () => {
      await Promise.all([...this.units.values()].map((u) => u.partsStored()));
    });
  }

  /** The lab's own parts: the head and the event log's chunks. */
  private ownParts(known?: KnownParts): PartRef[] {
    const ids = this.ids;
    const chunks = eventChunks(this.events.length);
    const head = headPart({
      format: LAB_FORMAT, name: '', seed: this.doc.seed, clock: this.clock, components: ids,
      pending: this.agenda.entries().map((e) => ({ at: e.at, seq: e.seq, env: encodeBytes(e.item) as LabDocument['pending'][number]['env'] })),
      nextSeq: this.agenda.sequence, counters: { request: this.nextRequestId, probe: this.nextProbeId }, events: chunks,
      sessions: Object.fromEntries(this.sessions),
      ...(Object.keys(this.workingCopies).length ? { workingCopies: this.workingCopies } : {}),
      ...this.historyField(),
    }, known);
    const parts = [head];
    for (let c = 0; c < chunks; c++) parts.push(this.eventChunk(c, known));
    return parts;
  }

  /** A chunk of the event log as a part; full chunks never change again, so their JSON is kept. */
  private eventChunk(c: number, known?: KnownParts): PartRef {
    const start = c * EVENTS_PER_CHUNK;
    const end = Math.min(this.events.length, start + EVENTS_PER_CHUNK);
    const cached = this.fullChunks[c];
    const key = eventsKey(c);
    if (cached && cached.first === this.events[start] && cached.last === this.events[end - 1]) {
      // A full chunk is neither serialised nor hashed again.
      return known?.get(key) === cached.hash ? { key, hash: cached.hash, size: cached.json.length } : { key, hash: cached.hash, size: cached.json.length, json: cached.json };
    }
    const part = partOf(key, JSON.stringify(this.events.slice(start, end)));
    if (end - start === EVENTS_PER_CHUNK) this.fullChunks[c] = { first: this.events[start], last: this.events[end - 1], json: part.json!, hash: part.hash };
    return known?.get(key) === part.hash ? { key, hash: part.hash, size: part.size } : part;
  }

  /** The JS heap in use of each unit that runs in its own worker, in bytes, by unit id (for the memory bench). */
  async heapBytes(): Promise<Record<string, number>> {
    const out: Record<string, number> = {};
    for (const [id, handle] of this.units) if (handle.heapBytes) out[id] = await handle.heapBytes();
    return out;
  }

  /** Each unit's thread CPU (see UnitHandle.threadCpu), where its runtime can read it. */
  async threadCpu(): Promise<Record<string, ThreadCpu>> {
    const out: Record<string, ThreadCpu> = {};
    for (const [id, handle] of this.units) {
      const cpu = await handle.threadCpu?.();
      if (cpu) out[id] = cpu;
    }
    return out;
  }

  dispose(): void {
    for (const u of this.units.values()) u.dispose();
    this.units.clear();
  }

  /** Lab operations run one at a time, so concurrent callers cannot interleave waves. */
  private exclusive<T>(work: () => Promise<T>): Promise<T> {
    const run = this.busy.then(() => this.loaded).then(work);
    this.busy = run.catch(() => undefined);
    return run;
  }

  /** `stop`: checked after each wave; when it holds, the run ends there (dry runs only: see requestAllNow). */
  private async runTo(target: number, stop?: () => boolean): Promise<void> {
    let wavesThisInstant = 0;
    let instant = this.clock;
    for (let at = this.agenda.peekTime(); at !== undefined && at <= target; at = this.agenda.peekTime()) {
      if (stop?.()) return;
      if (at === instant) {
        if (++wavesThisInstant > MAX_WAVES_PER_INSTANT) throw new Error(`the lab did not settle at ${new Date(at).toISOString()}`);
      } else {
        instant = at;
        wavesThisInstant = 0;
      }
      this.moveClock(at);
      await this.runWave(this.agenda.popEarliest().map((s) => s.item));
    }
    this.moveClock(target);
  }

  private moveClock(to: number): void {
    if (to <= this.clock) return;
    this.clock = to;
    if (!this.dry) this.changes++;
  }

  private async runWave(due: Envelope[]): Promise<void> {
    this.wavesRun++;
    const groups = new Map<string, Envelope[]>();
    for (const env of due) {
      const unit = this.route.get(env.to);
      if (unit === undefined) {
        this.record([{ t: this.clock, source: LAB_ID, kind: 'system', severity: 'error', text: `message '${env.kind}' to unknown component '${env.to}'` }]);
        continue;
      }
      if (!groups.has(unit)) groups.set(unit, []);
      groups.get(unit)!.push(env);
    }
    const now = this.clock;
    const shared = buffersInSeveral(groups.values());
    const dry = this.dry;
    const outputs = await Promise.all(
      [...groups].map(([unit, envs]) => {
        const handle = this.units.get(unit)!;
        dry?.add(handle);
        return handle.deliver(envs, now, shared, dry !== null);
      }),
    );
    for (const out of outputs) this.absorb(out);
    // Only what changed a component counts: a wave of queries (the screens' re-reads) needs no save.
    if (outputs.some((o) => o.changed)) this.changes++;
  }

  private absorb(out: WaveOutput): void {
    this.record([
      ...out.events,
      ...out.errors.map((text): LabEvent => ({ t: this.clock, source: LAB_ID, kind: 'system', severity: 'error', text })),
    ]);
    for (const { probe, record } of out.traces) {
      if (!this.traces.has(probe)) this.traces.set(probe, []);
      this.traces.get(probe)!.push(record);
    }
    for (const r of out.replies) this.replies.set(r.requestId, r.value);
    for (const { env, delay } of out.sends) {
      if (env.to === LAB_ID) this.inbox.push(env);
      else this.agenda.push(this.clock + delay, env);
    }
  }

  private record(events: LabEvent[]): void {
    // A dry run's events never enter the log: no screen sees them come and go, and a goal that
    // looks for an event cannot be met by the check's own probe.
    if (!events.length || this.dry) return;
    this.changes++;
    this.events.push(...events);
    for (const l of this.listeners) l(events);
  }
}

/** Body buffers that more than one batch refers to (the broker delivers one payload to many hosts). */
function buffersInSeveral(batches: Iterable<Envelope[]>): Set<ArrayBuffer> {
  const owner = new Map<ArrayBuffer, Envelope[]>();
  const shared = new Set<ArrayBuffer>();
  for (const batch of batches) {
    for (const env of batch) {
      for (const b of bodyBuffers(env)) {
        const first = owner.get(b);
        if (first === undefined) owner.set(b, batch);
        else if (first !== batch) shared.add(b);
      }
    }
  }
  return shared;
}
