/** Execution units in real Web Workers: one per host (hosts share past MAX_HOST_UNITS, workers/lab/component.ts unitsOf), one for the manager and vCenter, one for the fabric, one for the bus. */
import { componentTypes, componentsByUnit, type ComponentDoc, type ComponentType, type Transport, type UnitHandle, type WorkerUnitHandle, workerTransport, workerUnit } from '../../workers/lab/lab-boot';
import { afterNextPaint } from './after-paint';
import { markBoot } from './boot-marks';

type Spawn = (name: string) => Worker;

/**
 * A script per kind of unit, keyed by its component types: the unit's code is bundled into
 * it, one request. Any other mix gets the generic script, which loads each type on demand.
 */
const unitScripts: Record<string, Spawn> = {
  host: (name) => new Worker(new URL('../../workers/host.worker.ts', import.meta.url), { type: 'module', name }),
  'manager+vcenter': (name) => new Worker(new URL('../../workers/manager.worker.ts', import.meta.url), { type: 'module', name }),
  fabric: (name) => new Worker(new URL('../../workers/fabric.worker.ts', import.meta.url), { type: 'module', name }),
  bus: (name) => new Worker(new URL('../../workers/bus.worker.ts', import.meta.url), { type: 'module', name }),
};
const anyUnit: Spawn = (name) => new Worker(new URL('../../workers/unit.worker.ts', import.meta.url), { type: 'module', name });

function spawnWorker(unitId: string, types: readonly ComponentType[]): Worker {
  const spawn = unitScripts[[...types].sort().join('+')] ?? anyUnit;
  return spawn(`dfw-${unitId}`);
}

export function webWorkerTransport(): Transport {
  return workerTransport(spawnWorker);
}

/** A unit whose worker is started only once `gate` opens; what is asked of it meanwhile waits. */
function heldUnit(gate: Promise<void>, start: () => WorkerUnitHandle): WorkerUnitHandle {
  let disposed = false;
  const unit = gate.then(() => {
    if (disposed) throw new Error('the unit was stopped before it started');
    return start();
  });
  unit.catch(() => undefined); // reported to whoever asks the unit for something
  const via = <T>(ask: (u: WorkerUnitHandle) => Promise<T>): Promise<T> => unit.then(ask);
  return {
    ...forwarded(via),
    prepare: (types) => via((u) => u.prepare(types)),
    fresh: () => via((u) => u.fresh()),
    dispose: () => {
      disposed = true;
      void unit.then((u) => u.dispose(), () => undefined);
    },
  };
}

/** A unit's calls, each asked of the worker's handle through `via` (which decides when, or whether, it is reached). */
function forwarded(via: <T>(ask: (u: WorkerUnitHandle) => Promise<T>) => Promise<T>): Omit<UnitHandle, 'dispose'> {
  return {
    load: (docs) => via((u) => u.load(docs)),
    deliver: (batch, now, shared, dry) => via((u) => u.deliver(batch, now, shared, dry)),
    snapshot: () => via((u) => u.snapshot()),
    checkpoint: () => via((u) => u.checkpoint()),
    checkpointed: () => via((u) => u.checkpointed()),
    endDryRun: () => via((u) => u.endDryRun()),
    snapshotParts: (known) => via((u) => u.snapshotParts(known)),
    takeChanges: () => via((u) => u.takeChanges()),
    changedParts: (told) => via((u) => u.changedParts(told)),
    sharedParts: (keys) => via((u) => u.sharedParts(keys)),
    partsStored: () => via((u) => u.partsStored()),
    storedAsLoaded: (parts) => via((u) => u.storedAsLoaded(parts)),
    heapBytes: () => via((u) => u.heapBytes!()),
  };
}

/** Never settles: what a closed lab's unit answers from then on (as a terminated worker's). */
const never = <T>(): Promise<T> => new Promise<T>(() => undefined);

/**
 * One lab's use of a worker: its calls go through while the lab has it; once the lab lets it go
 * (dispose) nothing it asks reaches the worker, and nothing answers it any more, even calls it
 * made before (as with a terminated worker), so a closed lab cannot touch the next lab's unit.
 */
function leased(unit: WorkerUnitHandle, release: () => void): UnitHandle {
  let held = true;
  const call = <T>(ask: (u: WorkerUnitHandle) => Promise<T>): Promise<T> => {
    if (!held) return never();
    return ask(unit).then(
      (value) => (held ? value : never<T>()),
      (err: Error) => (held ? Promise.reject(err) : never<T>()),
    );
  };
  return {
    ...forwarded(call),
    dispose: () => {
      if (!held) return;
      held = false;
      release();
    },
  };
}

/** Which worker script a unit of these component types runs (spawnWorker): a kept worker serves only a unit of the same kind. */
const kindOf = (types: readonly ComponentType[]) => [...types].sort().join('+');

/**
 * The app's first lab: its workers start while the app is still loading its screens and
 * reading the lab from IndexedDB. `prewarm` names the units of an expected lab (the classroom:
 * most labs are classroom labs); the lab then takes the warm unit of each id it needs and starts
 * any other one cold. The workers themselves start once the first view has painted
 * (`firstViewShown`): seven worker scripts evaluating on a two-core machine would otherwise
 * take the main thread's time while it renders the lab the document already shows. A lesson
 * link's start at once (`startNow`): there the learner waits for the lab, not the first view.
 */
export class WarmWorkerUnits {
  /** Workers ready for a unit of this id: prewarmed for the first lab, or let go by a closed lab and emptied (fresh). */
  private warm = new Map<string, { unit: WorkerUnitHandle; kind: string }>();
  private open!: () => void;
  private readonly gate = new Promise<void>((resolve) => (this.open = resolve));
  /** startNow() was called: a unit started from then on spawns its worker in the same task. */
  private opened = false;

  /**
   * Each lab takes the warm worker of each unit id it needs (of the same kind), else starts one.
   * A lab that closes gives its workers back, emptied: the next lab (a lesson's, Reset step, a
   * saved lab opened) loads its components into workers whose code is loaded and compiled.
   */
  readonly transport: Transport = (unitId, types) => {
    const kind = kindOf(types);
    const kept = this.warm.get(unitId);
    if (kept) this.warm.delete(unitId);
    if (kept && kept.kind !== kind) kept.unit.dispose();
    const unit = kept?.kind === kind ? kept.unit : this.start(unitId, types);
    const handle = leased(unit, () => this.giveBack(unitId, kind, unit));
    return { ...handle, load: (docs) => handle.load(docs).then(() => markBoot(`unit-loaded:${unitId}`)) } satisfies UnitHandle;
  };

  prewarm(components: Record<string, ComponentDoc>): void {
    for (const [unitId, docs] of componentsByUnit(components)) {
      const types = componentTypes(docs);
      const unit = this.start(unitId, types);
      // A failed preload is reported by load(), with the component it concerns.
      unit.prepare(types).catch(() => undefined);
      this.warm.set(unitId, { unit, kind: kindOf(types) });
    }
  }

  /** A closed lab's worker: emptied, then the next lab's (its calls wait for the emptying); a worker that fails it is stopped. */
  private giveBack(unitId: string, kind: string, unit: WorkerUnitHandle): void {
    const emptied = unit.fresh();
    emptied.catch(() => {
      if (this.warm.get(unitId)?.unit === ready) this.warm.delete(unitId);
      unit.dispose();
    });
    const ready = heldUnit(emptied, () => unit);
    this.warm.get(unitId)?.unit.dispose();
    this.warm.set(unitId, { unit: ready, kind });
  }

  /** The first view is on screen (or there is none to wait for): the workers may start. */
  firstViewShown(): void {
    void afterNextPaint().then(() => this.open());
  }

  /**
   * The workers start without waiting for the first view (a lesson link: its lab is what the
   * learner waits for). Called before prewarm(), the workers spawn there and then, not a
   * microtask later, after the app's mount: their scripts load and compile while it mounts.
   */
  startNow(): void {
    this.opened = true;
    this.open();
  }

  /** Stops the warm workers the opened lab did not take. */
  releaseUnused(): void {
    for (const { unit } of this.warm.values()) unit.dispose();
    this.warm.clear();
  }

  private start(unitId: string, types: readonly ComponentType[]): WorkerUnitHandle {
    const spawn = () => {
      markBoot(`unit-spawn:${unitId}`);
      return workerUnit(spawnWorker(unitId, types));
    };
    return this.opened ? spawn() : heldUnit(this.gate, spawn);
  }
}
