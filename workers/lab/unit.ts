/**
 * An execution unit: the components that share one thread (a Web Worker in the app, the
 * process itself in tests). It delivers a wave of messages and returns what they produced.
 * The same code runs behind every transport, so the transports cannot disagree.
 */
import { componentOfPart, componentParts, componentPartsOffering, DamagedPartsError, isComponentPart, isSharedPart, joinComponent, missingPartsOf, partHash, type KnownParts, type PartRef, type UnitChanges } from './lab-parts';
import { isQueryFor, type Component, type ComponentCheck, type ComponentDoc, type ComponentFactory, type ComponentType, type Envelope } from './component';
import { isStoredComponent, type StoredComponentDoc, type StoredPartsSource } from './lab-format';
import { readComponentParts } from './stored-parts-reader';
import type { GroupShape, ListShapes } from './frozen-groups';
import type { EventInput, LabEvent } from '../protocol/events';
import { Rng, type RngState } from './rng';
import type { ProbeTrace } from '../protocol/trace';

interface OutgoingMessage {
  env: Envelope;
  delay: number;
}

export interface WaveOutput {
  sends: OutgoingMessage[];
  events: LabEvent[];
  traces: ProbeTrace[];
  replies: { requestId: number; value: unknown }[];
  errors: string[];
  /** Whether a message that is not a query (isQueryFor) was delivered outside a dry run. */
  changed: boolean;
}

/** Loads a component type's code on first use and gives its factory. */
export type ComponentLoader = () => Promise<ComponentFactory>;

interface Loaded {
  component: Component;
  type: ComponentType;
  rng: Rng;
}

/** A loaded component as a lab document holds it: its type, state and random stream now. */
function documentOf(l: Loaded): ComponentDoc {
  return { type: l.type, state: l.component.snapshot(), rng: l.rng.state() };
}

/** A component's state now, as a copy of its own that later messages cannot change. */
function copiedState(component: Component): Saved['state'] {
  const state = component.snapshot();
  return component.snapshotIsCopy ? state : structuredClone(state);
}

/** A component's state and random stream as a dry run found them, to put back when it ends. */
interface Saved {
  state: unknown;
  rng: RngState;
}

export class ExecutionUnit {
  private components = new Map<string, Loaded>();
  private factories = new Map<string, Promise<ComponentFactory>>();
  private built = new Map<string, ComponentFactory>();
  /** While a dry run is under way: each component it reached, as it was before (copy on first touch). */
  private dry: Map<string, Saved> | null = null;
  /** The components as the last checkpoint() found them, kept here (in the unit's own thread) until asked for. */
  private kept: Record<string, ComponentDoc> | null = null;
  /**
   * What IndexedDB holds of this unit's components (part key → hash) as of the last save the lab
   * confirmed (partsStored); null until the unit knows (a lab booted from a document, not from parts).
   */
  private stored: Map<string, number> | null = null;
  /** What the store will hold once the save of the last changedParts / snapshotParts commits. */
  private pending: Map<string, number> | null = null;
  /** Each component's parts as last serialised (no JSON): still its parts while it is not in `touched`. */
  private marks = new Map<string, PartMark[]>();
  /** Components handed a message (outside a dry run) since their parts were last serialised: only a message changes a component. */
  private touched = new Set<string>();
  /** Components built from a document (not stored parts) that no message has reached yet: still that document. */
  private asLoaded = new Set<string>();
  /** What takeChanges() copied for the next changedParts() to serialise: the documents of the components to serialise again. */
  private taken: Map<string, ComponentDoc> | null = null;
  /** The shared groups the last changedParts() found the store lacking, made only when the lab asks this unit for them (sharedParts). */
  private offers = new Map<string, () => PartRef>();

  constructor(private readonly loaders: Partial<Record<string, ComponentLoader>>) {}

  /** Loads the code of component types ahead of their components: a worker started before the lab document is read. */
  async prepare(types: readonly string[]): Promise<void> {
    await Promise.all(types.map((type) => this.factory(type)));
  }

  /**
   * Loads the code of the unit's component types (in parallel), then builds the components in
   * document order. A component still as stored (a saved lab) is joined from its parts and
   * checked against its type's schema here, in the unit's own thread; a damaged one is refused
   * (StoredComponentError, naming its path in the document) before any component is built.
   */
  async load(docs: Record<string, ComponentDoc | StoredComponentDoc>): Promise<void> {
    const entries = Object.entries(docs);
    for (const [id, doc] of entries) if (!this.loaders[doc.type]) throw new Error(`no component type '${doc.type}' for ${id}`);
    // The parts the unit reads itself (readFrom) are read while its code loads.
    const reading = withStoredParts(entries);
    reading.catch(() => undefined); // awaited below; a failure must not go unhandled while the code loads
    const types = [...new Set(entries.map(([, doc]) => doc.type))];
    const factories = new Map(await Promise.all(types.map(async (type) => [type, await this.factory(type)] as const)));
    for (const [type, f] of factories) this.built.set(type, f);
    const checks = new Map<string, ComponentCheck>();
    for (const type of new Set(entries.filter(([, doc]) => isStoredComponent(doc)).map(([, doc]) => doc.type))) {
      const loadCheck = factories.get(type)!.loadCheck;
      if (!loadCheck) throw new Error(`component type '${type}' has no check for a stored document`);
      checks.set(type, await loadCheck());
    }
    const complete = await reading;
    const ready = complete.map(([id, doc]) => (isStoredComponent(doc) ? joinChecked(id, doc, checks.get(doc.type)!) : { doc, asStored: false }));
    for (const [i, [id]] of complete.entries()) {
      const { doc, asStored } = ready[i];
      this.components.set(id, { component: factories.get(doc.type)!(id, doc.state), type: doc.type, rng: new Rng(doc.rng) });
      // A component built from the very parts the store holds (every hash matched) still is those
      // parts until a message reaches it: the first save after opening a lab serialises only the
      // components that changed since, not the whole lab.
      const stored = complete[i][1];
      if (asStored && isStoredComponent(stored)) this.marks.set(id, Object.entries(stored.stored).map(([key, json]) => ({ key, hash: stored.hashes![key], size: json.length })));
      else this.touched.add(id);
      if (!isStoredComponent(stored)) this.asLoaded.add(id);
    }
    // Booted from stored parts with their hashes: the unit knows what the store holds of it.
    const stored = complete.map(([, doc]) => doc);
    if (stored.length && stored.every((doc) => isStoredComponent(doc) && doc.hashes)) {
      this.stored = new Map(stored.flatMap((doc) => Object.entries((doc as StoredComponentDoc).hashes!)));
    }
  }

  /** `dry`: the batch belongs to a dry run, which starts here if it has not yet (see endDryRun). */
  deliver(batch: Envelope[], now: number, dry = false): WaveOutput {
    if (dry) this.dry ??= new Map();
    const out: WaveOutput = { sends: [], events: [], traces: [], replies: [], errors: [], changed: false };
    for (const env of batch) {
      const loaded = this.components.get(env.to);
      if (!loaded) {
        out.errors.push(`no component '${env.to}' for message ${env.kind}`);
        continue;
      }
      // A query changes nothing; a dry run's undo puts every component it reached back as it was.
      if (!isQueryFor(loaded.component, env, now)) {
        if (!this.dry) {
          this.touched.add(env.to);
          this.asLoaded.delete(env.to);
          out.changed = true;
        } else if (!this.dry.has(env.to)) this.dry.set(env.to, { state: copiedState(loaded.component), rng: loaded.rng.state() });
      }
      try {
        loaded.component.handle(env, contextFor(env, loaded, now, out));
      } catch (err) {
        // A component fault must not take the lab down; it becomes an error event.
        out.errors.push(`${env.to} failed on ${env.kind}: ${(err as Error).stack ?? err}`);
        if (env.requestId !== undefined) out.replies.push({ requestId: env.requestId, value: { error: (err as Error).message } });
      }
    }
    return out;
  }

  /**
   * Ends the dry run that deliveries marked `dry` started: every component it reached (each saved
   * on its first dry message, before handling it) is rebuilt from its saved state, with its
   * random stream as it was. Components the run never reached are not copied at all.
   */
  endDryRun(): void {
    const saved = this.dry;
    this.dry = null;
    if (!saved) return;
    for (const [id, s] of saved) {
      const loaded = this.components.get(id)!;
      loaded.component = this.built.get(loaded.type)!(id, s.state);
      loaded.rng = new Rng(s.rng);
    }
  }

  /** Each type's code loads once, whether prepare() or load() asks first. */
  private factory(type: string): Promise<ComponentFactory> {
    let factory = this.factories.get(type);
    if (!factory) {
      const loader = this.loaders[type];
      factory = loader ? loader() : Promise.reject(new Error(`no component type '${type}'`));
      this.factories.set(type, factory);
    }
    return factory;
  }

  /**
   * This unit's components as parts (lab-parts.ts), with JSON only for those `known` does not
   * hold. Once the save that writes them commits (partsStored), the unit knows what the store holds.
   */
  snapshotParts(known?: KnownParts): PartRef[] {
    this.taken = null;
    const parts: PartRef[] = [];
    for (const id of this.components.keys()) parts.push(...this.serialise(id, known));
    this.touched.clear();
    this.pending = new Map(parts.map((p) => [p.key, p.hash]));
    return parts;
  }

  /**
   * What a save must serialise, taken now at little cost: a copy of each component handed a
   * message since its last serialisation (or whose last parts are not all stored: that save
   * failed). changedParts() serialises those copies later, so the lab need not hold still while
   * this worker serialises (Lab.changedParts); a message handled meanwhile leaves them as they
   * were. False when the unit does not know what the store holds (then the lab saves from snapshotParts).
   */
  takeChanges(): boolean {
    const stored = this.stored;
    if (!stored) return false;
    // Copies a save took but never serialised (it stopped) are taken again: their touches are gone.
    const before = this.taken;
    const taken = new Map<string, ComponentDoc>();
    for (const [id, l] of this.components) {
      const marks = this.touched.has(id) || before?.has(id) ? undefined : this.marks.get(id);
      // A shared group is stored when its key is (its key is its content); its mark's hash is its JSON's, not the stored text's.
      if (marks && marks.every((m) => (isSharedPart(m.key) ? stored.has(m.key) : stored.get(m.key) === m.hash))) continue;
      taken.set(id, { type: l.type, state: copiedState(l.component), rng: l.rng.state() });
    }
    this.touched.clear();
    this.taken = taken;
    return true;
  }

  /**
   * What changed since the last save the lab confirmed: only components handed a message since
   * their last serialisation are serialised again (in this worker; as takeChanges() copied them,
   * else as they are now), only parts whose hash the store lacks carry JSON, and parts of its own
   * no component has any more are to be dropped. Shared groups (lab-parts.ts isSharedPart) are
   * the lab's to write and drop: the unit says which it knows stored, which its components
   * reference and which of those it can make (sharedParts). `told`: the groups of lists named
   * by their bytes that units before it found (frozen-groups.ts listName); it adds those it
   * finds itself (`learned`). Null when the unit does not know what the store holds (then the
   * lab saves from snapshotParts).
   */
  changedParts(told?: ListShapes): UnitChanges | null {
    if (!this.taken && !this.takeChanges()) return null;
    const stored = this.stored!;
    const taken = this.taken!;
    this.taken = null;
    this.offers = new Map();
    const put: PartRef[] = [];
    const next = new Map<string, number>();
    const sharedNext = new Map<string, number>();
    const learned = new Map<string, GroupShape[]>();
    let size = 0;
    for (const id of this.components.keys()) {
      const doc = taken.get(id);
      if (doc) {
        const made = componentPartsOffering(id, doc, stored, told);
        this.remember(id, made.parts);
        for (const p of made.parts) if (p.json !== undefined) put.push(p);
        for (const [key, make] of made.offers) this.offers.set(key, make);
        for (const [name, shapes] of made.learned) learned.set(name, shapes);
      }
      for (const m of this.marks.get(id)!) {
        next.set(m.key, m.hash);
        if (isSharedPart(m.key)) sharedNext.set(m.key, m.size);
        else size += m.size;
      }
    }
    this.pending = next;
    return {
      put,
      drop: [...stored.keys()].filter((k) => !isSharedPart(k) && !next.has(k)),
      size,
      shared: { stored: [...stored.keys()].filter(isSharedPart), next: [...sharedNext], offered: [...this.offers.keys()] },
      learned,
    };
  }

  /** The stored parts of shared groups the last changedParts() offered, the lab having found no other unit stores them. */
  sharedParts(keys: readonly string[]): PartRef[] {
    const parts = keys.map((key) => {
      const make = this.offers.get(key);
      if (!make) throw new Error(`the shared group ${key} was not offered by this unit`);
      return make();
    });
    this.offers = new Map();
    return parts;
  }

  /**
   * The store holds this unit's components as the documents they were loaded from (the page
   * saved the very document the lab booted from: a first visit's classroom lab), as `parts` (keys,
   * hashes and sizes; no JSON). A component no message has reached since keeps those parts as its
   * marks and is not serialised by the next save; the others are, as before. From now on the
   * unit's saves write only what changed (changedParts).
   */
  storedAsLoaded(parts: readonly PartRef[]): void {
    // A save already ran (or is under way): the unit knows better what the store holds.
    if (this.stored || this.pending) return;
    const byComponent = new Map<string, PartMark[]>();
    const stored = new Map<string, number>();
    // Which components hold which shared group the parts do not say: each as-loaded component
    // is taken to hold them all (until it is serialised again), so none is dropped while held.
    const shared: PartMark[] = [];
    for (const { key, hash, size } of parts) {
      if (isSharedPart(key)) {
        stored.set(key, hash);
        shared.push({ key, hash, size });
        continue;
      }
      if (!isComponentPart(key)) continue;
      const id = componentOfPart(key);
      if (!this.components.has(id)) continue;
      stored.set(key, hash);
      if (!byComponent.has(id)) byComponent.set(id, []);
      byComponent.get(id)!.push({ key, hash, size });
    }
    this.stored = stored;
    this.pending = null;
    for (const id of this.asLoaded) {
      const marks = byComponent.get(id);
      if (!marks) continue;
      this.marks.set(id, [...marks, ...shared]);
      this.touched.delete(id);
    }
    this.asLoaded.clear();
  }

  /** The save of the last changedParts / snapshotParts committed: the store holds those parts now. */
  partsStored(): void {
    if (this.pending) this.stored = this.pending;
    this.pending = null;
  }

  /** One component's parts, remembered (without JSON) as its marks. */
  private serialise(id: string, known?: KnownParts): PartRef[] {
    const parts = componentParts(id, documentOf(this.components.get(id)!), known);
    this.remember(id, parts);
    return parts;
  }

  /** Component `id`'s parts as just serialised: its marks. */
  private remember(id: string, parts: readonly PartRef[]): void {
    this.marks.set(id, parts.map(({ key, hash, size }) => ({ key, hash, size })));
    this.asLoaded.delete(id);
  }

  snapshot(): Record<string, ComponentDoc> {
    const docs: Record<string, ComponentDoc> = {};
    for (const [id, l] of this.components) docs[id] = documentOf(l);
    return docs;
  }

  /**
   * Keeps a copy of the unit's components as they are now, here: a lesson's step start, which
   * only "Reset step" ever reads (checkpointed), so nothing crosses to the lab's thread meanwhile.
   * One checkpoint per unit; a new one replaces it.
   */
  checkpoint(): void {
    const docs: Record<string, ComponentDoc> = {};
    for (const [id, l] of this.components) {
      docs[id] = { type: l.type, state: copiedState(l.component), rng: l.rng.state() };
    }
    this.kept = docs;
  }

  /** The components as the last checkpoint kept them (the unit keeps its copy), or null when none was taken. */
  checkpointed(): Record<string, ComponentDoc> | null {
    return this.kept && structuredClone(this.kept);
  }
}

/** A part as last serialised: what a save needs of an unchanged one. */
interface PartMark {
  key: string;
  hash: number;
  size: number;
}

/** Why a stored component was refused: the path in the lab document (`$.components.<id>…`) and what is wrong there. */
export class StoredComponentError extends Error {
  constructor(
    readonly path: string,
    readonly problem: string,
  ) {
    super(`${problem} (at ${path})`);
    this.name = 'StoredComponentError';
  }
}

/** A stored component joined, and whether it is exactly what the store holds (every part's hash matched, so not checked again). */
function joinChecked(id: string, stored: StoredComponentDoc, check: ComponentCheck): { doc: ComponentDoc; asStored: boolean } {
  const at = `$.components.${id}`;
  let doc: unknown;
  try {
    doc = joinComponent(id, new Map(Object.entries(stored.stored)));
  } catch (err) {
    if (err instanceof DamagedPartsError) throw new StoredComponentError('$', `the saved lab is damaged (${err.message})`);
    throw err;
  }
  // Parts whose JSON still has the hash written with it are what this lab stored, and a lab
  // stores only checked components (a running component's own state, or an import checked
  // whole before it was split): the schema check is for parts changed outside the lab, and for
  // parts an older version stored (the hash is seeded with STATE_SCHEMA_VERSION, lab-parts.ts).
  if (asStored(stored)) return { doc: doc as ComponentDoc, asStored: true };
  const problem = check(doc);
  // The check is the stored type's, so a document of another type fails on its `type`.
  if (problem) throw new StoredComponentError(`${at}${problem.path}`, problem.message);
  return { doc: doc as ComponentDoc, asStored: false };
}

/**
 * The components whose other parts the unit reads itself (`readFrom`) with those parts added to
 * their own: one IndexedDB transaction for all of them. A part written after the revision the
 * page read means the lab was saved meanwhile (another tab): refused, as a torn read would be.
 */
async function withStoredParts(entries: [string, ComponentDoc | StoredComponentDoc][]): Promise<[string, ComponentDoc | StoredComponentDoc][]> {
  const reading = entries.filter((e): e is [string, StoredComponentDoc & { readFrom: StoredPartsSource }] => isStoredComponent(e[1]) && e[1].readFrom !== undefined);
  if (!reading.length) return entries;
  const source = reading[0][1].readFrom;
  const own = new Map(reading.map(([id, doc]) => [id, doc.stored]));
  const read = await readComponentParts(source, [...own.keys()], (id, parts) => partsLacking(id, own.get(id)!, parts));
  return entries.map(([id, doc]) => {
    const parts = read.get(id);
    if (!parts || !isStoredComponent(doc)) return [id, doc];
    const late = parts.find((p) => p.revision > source.revision);
    if (late) throw new StoredComponentError('$', `the saved lab was saved again while it was opened (part ${late.key}); open it again`);
    const { readFrom: _, ...rest } = doc;
    return [id, {
      ...rest,
      stored: { ...doc.stored, ...Object.fromEntries(parts.map((p) => [p.key, p.json])) },
      ...(doc.hashes ? { hashes: { ...doc.hashes, ...Object.fromEntries(parts.map((p) => [p.key, p.hash])) } } : {}),
    }];
  });
}

/** The parts a component still lacks, from its own part (`own`) and its other parts as read so far; none when those are damaged (joining the component names the damaged part). */
function partsLacking(id: string, own: Record<string, string>, read: readonly { key: string; json: string }[]): string[] {
  try {
    return missingPartsOf(id, new Map([...Object.entries(own), ...read.map((p) => [p.key, p.json] as const)]));
  } catch (err) {
    if (err instanceof DamagedPartsError) return [];
    throw err;
  }
}

/** Every part of a stored component has the hash the store keeps beside it (none are known: false). */
function asStored(stored: StoredComponentDoc): boolean {
  const hashes = stored.hashes;
  if (!hashes) return false;
  for (const [key, json] of Object.entries(stored.stored)) if (hashes[key] !== partHash(json)) return false;
  return true;
}

function contextFor(env: Envelope, loaded: Loaded, now: number, out: WaveOutput) {
  const id = loaded.component.id;
  return {
    now: () => now,
    random: () => loaded.rng.next(),
    emit: (e: EventInput) => out.events.push({ severity: 'info', ...e, t: now, source: id }),
    send: (to: string, kind: string, body: unknown, delay = 0) => out.sends.push({ env: { to, from: id, kind, body }, delay }),
    reply: (value: unknown) => {
      if (env.requestId === undefined) throw new Error(`${id}: reply to '${env.kind}' which is not a request`);
      out.replies.push({ requestId: env.requestId, value });
    },
    trace: (probe: number, record: import('../protocol/trace').TraceRecord) => out.traces.push({ probe, record }),
  };
}
