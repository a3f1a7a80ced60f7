/**
 * How the lab reaches an execution unit: directly (tests, the headless runner) or through a
 * Web Worker / worker_threads with Comlink (the app). Frame batches cross as transferred buffers.
 */
import * as Comlink from 'comlink';
import type { ComponentDoc, ComponentType, Envelope } from './component';
import type { KnownParts, PartRef, UnitChanges } from './lab-parts';
import type { ListShapes } from './frozen-groups';
import type { StoredComponentDoc } from './lab-format';
import { ExecutionUnit, type ComponentLoader, type WaveOutput } from './unit';
import { AMQP } from '../protocol/amqp';

export interface UnitHandle {
  /** Stored components (a saved lab's parts) are joined and checked by the unit itself. */
  load(docs: Record<string, ComponentDoc | StoredComponentDoc>): Promise<void>;
  /** `shared`: buffers the batch shares with other units' batches, which must stay readable. */
  deliver(batch: Envelope[], now: number, shared?: ReadonlySet<ArrayBuffer>, dry?: boolean): Promise<WaveOutput>;
  snapshot(): Promise<Record<string, ComponentDoc>>;
  /** Keeps the unit's components as they are now, in the unit (ExecutionUnit.checkpoint). */
  checkpoint(): Promise<void>;
  /** The components the last checkpoint kept, or null (ExecutionUnit.checkpointed). */
  checkpointed(): Promise<Record<string, ComponentDoc> | null>;
  /** Undoes what deliveries marked `dry` did to the unit's components (see ExecutionUnit.endDryRun). */
  endDryRun(): Promise<void>;
  /** The unit's components as parts, serialised where they live; JSON only for parts not in `known`. */
  snapshotParts(known?: KnownParts): Promise<PartRef[]>;
  /** Copies what the next changedParts() serialises, at little cost; false when the unit does not know what the store holds (ExecutionUnit.takeChanges). */
  takeChanges(): Promise<boolean>;
  /** What changed since the last confirmed save, serialised where it lives (`told`: the groups of named lists units before it found); null when the unit does not know what the store holds (ExecutionUnit.changedParts). */
  changedParts(told?: ListShapes): Promise<UnitChanges | null>;
  /** The stored parts of shared groups the last changedParts() offered (ExecutionUnit.sharedParts). */
  sharedParts(keys: readonly string[]): Promise<PartRef[]>;
  /** The save of the last changedParts / snapshotParts committed. */
  partsStored(): Promise<void>;
  /** The store holds the unit's components as the documents they were loaded from, as these parts (ExecutionUnit.storedAsLoaded). */
  storedAsLoaded(parts: readonly PartRef[]): Promise<void>;
  /** The unit's own JS heap in use, in bytes, where it has one (a worker); absent in-process. */
  heapBytes?(): Promise<number>;
  /** Its thread's CPU time so far, and the part spent delivering waves, where the runtime can read them (worker_threads on Linux); null elsewhere. */
  threadCpu?(): Promise<ThreadCpu | null>;
  dispose(): void;
}

/** A unit thread's CPU time in ms: in all, and in its deliveries (what is left ran no lab code: the runtime's own tasks, its garbage collector). */
export interface ThreadCpu {
  totalMs: number;
  deliveringMs: number;
}

/** Starts the unit `unitId`, which is to hold components of `types`. */
export type Transport = (unitId: string, types: readonly ComponentType[]) => UnitHandle;

/**
 * Component code by type: the runtime is given it (workers/registry.ts) and imports no component
 * itself. Every type (the generic worker, the node runner) or the kinds a dedicated worker runs.
 */
export type ComponentLoaders = Partial<Record<ComponentType, ComponentLoader>>;

/** Units in this thread, running the components `loaders` load. */
export const inProcessTransportOf = (loaders: ComponentLoaders): Transport => () => {
  const unit = new ExecutionUnit(loaders);
  return {
    // A copy, as a worker gets: components must not change the document the lab was booted from.
    load: (docs) => unit.load(structuredClone(docs)),
    deliver: async (batch, now, _shared, dry) => unit.deliver(batch, now, dry),
    snapshot: async () => unit.snapshot(),
    checkpoint: async () => unit.checkpoint(),
    checkpointed: async () => unit.checkpointed(),
    endDryRun: async () => unit.endDryRun(),
    snapshotParts: async (known) => unit.snapshotParts(known),
    takeChanges: async () => unit.takeChanges(),
    changedParts: async (told) => unit.changedParts(told),
    sharedParts: async (keys) => unit.sharedParts(keys),
    partsStored: async () => unit.partsStored(),
    storedAsLoaded: async (parts) => unit.storedAsLoaded(parts),
    dispose: () => {},
  };
};

/** The buffers in a message body worth moving rather than copying: a frame batch, a bus payload. */
function bodyParts(env: Envelope): { frames?: ArrayBuffer; payload?: ArrayBuffer } {
  const body = env.body as { frames?: unknown; payload?: unknown } | null;
  return {
    frames: body?.frames instanceof ArrayBuffer ? body.frames : undefined,
    payload: body?.payload instanceof ArrayBuffer ? body.payload : undefined,
  };
}

export function bodyBuffers(env: Envelope): ArrayBuffer[] {
  const { frames, payload } = bodyParts(env);
  return [frames, payload].filter((b) => b !== undefined);
}

/**
 * What the lab moves into a unit instead of copying: every body buffer of the batch, except
 * those in `shared` (also in another unit's batch of the same wave: moving them to one would
 * leave the other an emptied buffer). The lab keeps nothing it has delivered.
 */
export function transferables(envs: Envelope[], shared?: ReadonlySet<ArrayBuffer>): ArrayBuffer[] {
  const list = new Set<ArrayBuffer>();
  for (const env of envs) for (const b of bodyBuffers(env)) if (!shared?.has(b)) list.add(b);
  return [...list];
}

/**
 * What a unit moves out of its wave's outputs: frame batches, and the payloads its components
 * publish to the bus (a publisher gives its bytes away, as a socket write does). Not the
 * broker's deliveries: the broker keeps each payload until it is acknowledged, for redelivery.
 */
export function outputTransferables(envs: Envelope[]): ArrayBuffer[] {
  const list = new Set<ArrayBuffer>();
  for (const env of envs) {
    const { frames, payload } = bodyParts(env);
    if (frames) list.add(frames);
    if (payload && env.kind === AMQP.publish) list.add(payload);
  }
  return [...list];
}

/** What a worker exposes through Comlink. */
interface RemoteUnit {
  prepare(types: readonly string[]): Promise<void>;
  load(docs: Record<string, ComponentDoc | StoredComponentDoc>): Promise<void>;
  deliver(batch: Envelope[], now: number, dry?: boolean): WaveOutput;
  snapshot(): Record<string, ComponentDoc>;
  checkpoint(): void;
  checkpointed(): Record<string, ComponentDoc> | null;
  endDryRun(): void;
  snapshotParts(known?: KnownParts): PartRef[];
  takeChanges(): boolean;
  changedParts(told?: ListShapes): UnitChanges | null;
  sharedParts(keys: readonly string[]): PartRef[];
  partsStored(): void;
  storedAsLoaded(parts: readonly PartRef[]): void;
  heapBytes(): number;
  threadCpu(): ThreadCpu | null;
  fresh(): void;
}

type HeapHost = { performance?: { memory?: { usedJSHeapSize: number } }; process?: { memoryUsage(): { heapUsed: number } }; gc?: () => void };

/**
 * This thread's JS heap in use: Chromium's performance.memory in a Web Worker, the isolate's
 * heap in a worker_thread (process.memoryUsage() reads the calling isolate); -1 where neither
 * exists. Collects garbage first when the runtime allows it (node --expose-gc).
 */
function threadHeapBytes(): number {
  const g = globalThis as HeapHost;
  g.gc?.();
  if (g.process?.memoryUsage) return g.process.memoryUsage().heapUsed;
  return g.performance?.memory?.usedJSHeapSize ?? -1;
}

/**
 * The worker side: wraps an ExecutionUnit so outputs transfer their frame buffers back.
 * `threadCpuNs`: this thread's CPU time in ns, where the worker's runtime can read it; deliveries
 * are then timed with it (ExecutionUnit.threadCpu).
 */
export function exposeUnit(endpoint: Comlink.Endpoint, loaders: ComponentLoaders, threadCpuNs?: () => number): void {
  let unit = new ExecutionUnit(loaders);
  let deliveringNs = 0;
  const remote: RemoteUnit = {
    prepare: (types) => unit.prepare(types),
    load: (docs) => unit.load(docs),
    deliver: (batch, now, dry) => {
      const start = threadCpuNs?.();
      const out = unit.deliver(batch, now, dry);
      if (start !== undefined) deliveringNs += threadCpuNs!() - start;
      return Comlink.transfer(out, outputTransferables(out.sends.map((s) => s.env)));
    },
    snapshot: () => unit.snapshot(),
    checkpoint: () => unit.checkpoint(),
    checkpointed: () => unit.checkpointed(),
    endDryRun: () => unit.endDryRun(),
    snapshotParts: (known) => unit.snapshotParts(known),
    takeChanges: () => unit.takeChanges(),
    changedParts: (told) => unit.changedParts(told),
    sharedParts: (keys) => unit.sharedParts(keys),
    partsStored: () => unit.partsStored(),
    storedAsLoaded: (parts) => unit.storedAsLoaded(parts),
    heapBytes: threadHeapBytes,
    threadCpu: () => (threadCpuNs ? { totalMs: threadCpuNs() / 1e6, deliveringMs: deliveringNs / 1e6 } : null),
    // An empty unit for the next lab: the worker's code stays loaded and compiled.
    fresh: () => void (unit = new ExecutionUnit(loaders)),
  };
  Comlink.expose(remote, endpoint);
}

type UnitEndpoint = Comlink.Endpoint & { terminate(): void };

/** A unit in a worker, as the lab holds it; `prepare` lets a worker load its code before the lab boots. */
export interface WorkerUnitHandle extends UnitHandle {
  prepare(types: readonly string[]): Promise<void>;
  /**
   * Empties the worker for another lab (a new unit, no components), keeping its code loaded and
   * compiled: the page's next lab need not start and compile a new worker (src/lib/browser-transport.ts).
   * Calls made before it are answered first (a worker answers in order).
   */
  fresh(): Promise<void>;
}

/** The lab side of one worker, reached through its endpoint (a Worker, or worker_threads through Comlink's node adapter). */
export function workerUnit(endpoint: UnitEndpoint): WorkerUnitHandle {
  const remote = Comlink.wrap<RemoteUnit>(endpoint);
  return {
    prepare: async (types) => remote.prepare(types),
    load: async (docs) => remote.load(docs),
    deliver: async (batch, now, shared, dry) => remote.deliver(Comlink.transfer(batch, transferables(batch, shared)), now, dry),
    snapshot: async () => remote.snapshot(),
    checkpoint: async () => remote.checkpoint(),
    checkpointed: async () => remote.checkpointed(),
    endDryRun: async () => remote.endDryRun(),
    snapshotParts: async (known) => remote.snapshotParts(known),
    takeChanges: async () => remote.takeChanges(),
    changedParts: async (told) => remote.changedParts(told),
    sharedParts: async (keys) => remote.sharedParts(keys),
    partsStored: async () => remote.partsStored(),
    storedAsLoaded: async (parts) => remote.storedAsLoaded(parts),
    heapBytes: async () => remote.heapBytes(),
    threadCpu: async () => remote.threadCpu(),
    fresh: async () => remote.fresh(),
    dispose: () => {
      remote[Comlink.releaseProxy]();
      endpoint.terminate();
    },
  };
}

/** Units in workers that `spawn` starts, one per unit. */
export function workerTransport(spawn: (unitId: string, types: readonly ComponentType[]) => UnitEndpoint): Transport {
  return (unitId, types) => workerUnit(spawn(unitId, types));
}
