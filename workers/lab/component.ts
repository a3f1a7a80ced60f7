import type { SimContext } from './context';
import type { RngState } from './rng';
import type { TraceRecord } from '../protocol/trace';

import type { Address, Envelope, MessageMap } from '../protocol/messages/envelope';

export type { Envelope } from '../protocol/messages/envelope';

export interface ComponentContext extends SimContext {
  /** Sends a message, delivered after `delayMs` of virtual time (0: in the next wave of this instant). */
  send<M extends MessageMap, K extends keyof M & string>(to: Address<M>, kind: K, body: M[K]['body'], delayMs?: number): void;
  /** Answers the request being handled. */
  reply(value: unknown): void;
  /** Records an observation on a probe's path. */
  trace(probe: number, record: TraceRecord): void;
}

export interface Component {
  readonly id: string;
  handle(msg: Envelope, ctx: ComponentContext): void;
  /** JSON-serialisable state; the component's factory rebuilds an identical component from it. */
  snapshot(): unknown;
  /**
   * True when snapshot() builds its value afresh and shares nothing the component goes on
   * changing: a dry run keeps that value as the state to put back, without copying it again.
   */
  readonly snapshotIsCopy?: boolean;
  /**
   * Message kinds the component only answers: handling one changes nothing (its state, its
   * random stream, what it sends), so a dry run need not copy the component for it.
   */
  readonly queries?: ReadonlySet<string>;
  /**
   * For a kind that is a query only in some messages or states (NSX Manager's `rest`: a GET
   * reads, a PUT writes): whether this message, handled at lab time `now`, changes nothing, as
   * `queries` means it.
   */
  isQuery?(msg: Envelope, now: number): boolean;
}

/** Whether handing `msg` to `component` changes nothing (see Component.queries and isQuery). */
export function isQueryFor(component: Component, msg: Envelope, now: number): boolean {
  return component.queries?.has(msg.kind) === true || component.isQuery?.(msg, now) === true;
}

export type ComponentType = 'vcenter' | 'manager' | 'fabric' | 'host' | 'bus';

/** A component as the lab document stores it. */
export interface ComponentDoc {
  type: ComponentType;
  state: unknown;
  rng: RngState;
}

/** A stored component's document (untrusted) checked: where inside it the first problem is (`.state.…`) and what, or undefined when it is sound. */
export type ComponentCheck = (doc: unknown) => { path: string; message: string } | undefined;

export type ComponentFactory = ((id: string, state: unknown) => Component) & {
  /** Loads the check of this type's stored documents (its state schema): only a saved lab opened from IndexedDB needs it. */
  loadCheck?: () => Promise<ComponentCheck>;
};

/**
 * Host units a lab has at most: past this many hosts, hosts share units (round robin in
 * document order). Fixed, not the machine's cores: placement decides the order in which a wave's
 * outputs merge, so it must depend on the document alone for the same actions to give the same
 * log everywhere. On 2 cores, 64 hosts in 64 Web Workers spent most of a one-rule edit waking
 * threads and copying messages (Chromium, 64-host 10k-rule lab, one after the other: edit median
 * 430 → 166 ms, first edit 858 → 244 ms, open 9.4 → 4.1 s and 17.6 → 7.5 s of CPU, with hosts in 8 units);
 * 4 units took another fifth off the open's CPU (5.5–7.0 s vs 6.8–9.7 s over four interleaved pairs)
 * with edits no slower. The classroom lab (4 hosts) keeps a worker per host.
 */
export const MAX_HOST_UNITS = 4;

/** Which execution unit (worker) each component lives in: vCenter shares the manager's; each host has its own, up to MAX_HOST_UNITS hosts, beyond which they share. */
export function unitsOf(components: Record<string, { type: ComponentType }>): Map<string, string> {
  const entries = Object.entries(components);
  const hosts = entries.filter(([, c]) => c.type === 'host').length;
  const units = new Map<string, string>();
  let host = 0;
  for (const [id, { type }] of entries) {
    if (type === 'vcenter') units.set(id, 'manager');
    else if (type === 'host' && hosts > MAX_HOST_UNITS) units.set(id, `hosts-${host++ % MAX_HOST_UNITS}`);
    else units.set(id, id);
  }
  return units;
}
