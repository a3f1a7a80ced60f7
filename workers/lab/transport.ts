/**
 * How the lab reaches an execution unit: directly (tests, the headless runner) or through a
 * Web Worker / worker_threads with Comlink (the app). Frame batches cross as transferred buffers.
 */
import * as Comlink from 'comlink';
import type { ComponentDoc, ComponentType, Envelope } from './component';
import { ExecutionUnit, type WaveOutput } from './unit';
import { componentLoaders } from '../registry';

export interface UnitHandle {
  load(docs: Record<string, ComponentDoc>): Promise<void>;
  deliver(batch: Envelope[], now: number): Promise<WaveOutput>;
  snapshot(): Promise<Record<string, ComponentDoc>>;
  dispose(): void;
}

/** Starts the unit `unitId`, which is to hold components of `types`. */
export type Transport = (unitId: string, types: readonly ComponentType[]) => UnitHandle;

export const inProcessTransport: Transport = () => {
  const unit = new ExecutionUnit(componentLoaders);
  return {
    load: (docs) => unit.load(docs),
    deliver: async (batch, now) => unit.deliver(batch, now),
    snapshot: async () => unit.snapshot(),
    dispose: () => {},
  };
};

/** The buffers worth transferring rather than copying: frame batches in message bodies. */
export function transferables(envs: Envelope[]): ArrayBuffer[] {
  const list: ArrayBuffer[] = [];
  for (const env of envs) {
    const frames = (env.body as { frames?: unknown } | null)?.frames;
    if (frames instanceof ArrayBuffer && !list.includes(frames)) list.push(frames);
  }
  return list;
}

/** What a worker exposes through Comlink. */
export interface RemoteUnit {
  prepare(types: readonly string[]): Promise<void>;
  load(docs: Record<string, ComponentDoc>): Promise<void>;
  deliver(batch: Envelope[], now: number): WaveOutput;
  snapshot(): Record<string, ComponentDoc>;
}

/** The worker side: wraps an ExecutionUnit so outputs transfer their frame buffers back. */
export function exposeUnit(endpoint: Comlink.Endpoint): void {
  const unit = new ExecutionUnit(componentLoaders);
  const remote: RemoteUnit = {
    prepare: (types) => unit.prepare(types),
    load: (docs) => unit.load(docs),
    deliver: (batch, now) => {
      const out = unit.deliver(batch, now);
      return Comlink.transfer(out, transferables(out.sends.map((s) => s.env)));
    },
    snapshot: () => unit.snapshot(),
  };
  Comlink.expose(remote, endpoint);
}

export type UnitEndpoint = Comlink.Endpoint & { terminate(): void };

/** A unit in a worker, as the lab holds it; `prepare` lets a worker load its code before the lab boots. */
export interface WorkerUnitHandle extends UnitHandle {
  prepare(types: readonly string[]): Promise<void>;
}

/** The lab side of one worker, reached through its endpoint (a Worker, or worker_threads through Comlink's node adapter). */
export function workerUnit(endpoint: UnitEndpoint): WorkerUnitHandle {
  const remote = Comlink.wrap<RemoteUnit>(endpoint);
  return {
    prepare: async (types) => remote.prepare(types),
    load: async (docs) => remote.load(docs),
    deliver: async (batch, now) => remote.deliver(Comlink.transfer(batch, transferables(batch)), now),
    snapshot: async () => remote.snapshot(),
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
