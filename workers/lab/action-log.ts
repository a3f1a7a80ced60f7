/**
 * The lab's action log: every request the lab was sent and every clock advance, in the order
 * the lab ran them. The same lab document and the same actions give the same event log on any
 * transport, so wall-clock time (the app's realtime mode) enters the lab only as recorded
 * advances. Consecutive advances merge into one: running to t1 then to t2 delivers exactly
 * what running to t2 does.
 */
export type LabAction =
  | { do: 'request'; at: number; to: string; kind: string; body: unknown }
  | { do: 'advance'; at: number; ms: number }
  /** A probe number handed out (probes carry it in their request). */
  | { do: 'probe-id'; at: number }
  /** A named session opened (with the VM holding it) or forgotten. */
  | { do: 'session'; at: number; name: string; vm?: string };

/** An action without its time, as a saved history or a link carries it. */
export type BareLabAction = LabAction extends infer A ? (A extends LabAction ? Omit<A, 'at'> : never) : never;

/** The action without its time. */
export function bareAction(a: LabAction): BareLabAction {
  const { at: _at, ...rest } = a;
  return rest as BareLabAction;
}

/** Enough for hours of clicking; the oldest actions go first beyond it. */
const MAX_ACTIONS = 20_000;

export class ActionLog {
  private list: LabAction[] = [];
  /** How many of the oldest actions were let go to stay under the limit. */
  dropped = 0;

  /** `earlier`: the actions of a saved lab's history (their times are not kept: they count as at `at`). */
  constructor(
    private readonly limit = MAX_ACTIONS,
    earlier: readonly BareLabAction[] = [],
    at = 0,
  ) {
    for (const a of earlier) this.push({ ...a, at } as LabAction);
  }

  get actions(): readonly LabAction[] {
    return this.list;
  }

  request(at: number, to: string, kind: string, body: unknown): void {
    // A copy: the transport may hand the body's buffers to a worker.
    this.push({ do: 'request', at, to, kind, body: structuredClone(body) });
  }

  advance(at: number, ms: number): void {
    const last = this.list.at(-1);
    if (last?.do === 'advance') last.ms += ms;
    else this.push({ do: 'advance', at, ms });
  }

  probeId(at: number): void {
    this.push({ do: 'probe-id', at });
  }

  session(at: number, name: string, vm: string | undefined): void {
    this.push(vm === undefined ? { do: 'session', at, name } : { do: 'session', at, name, vm });
  }

  private push(action: LabAction): void {
    this.list.push(action);
    if (this.list.length > this.limit) {
      this.list.shift();
      this.dropped++;
    }
  }
}

/** What replaying needs of a lab: the ways actions enter it. */
interface ActionTarget {
  request(to: string, kind: string, body: unknown): Promise<unknown>;
  advance(ms: number): Promise<void>;
  newProbeId(): number;
  keepSession(name: string, vm: string | undefined): void;
}

/** Plays recorded actions on a lab booted from the same document. A request that failed when recorded fails again here, and is passed over the same way. */
export async function replayActions(lab: ActionTarget, actions: readonly BareLabAction[]): Promise<void> {
  for (const a of actions) {
    if (a.do === 'advance') await lab.advance(a.ms);
    else if (a.do === 'probe-id') lab.newProbeId();
    else if (a.do === 'session') lab.keepSession(a.name, a.vm);
    else await lab.request(a.to, a.kind, structuredClone(a.body)).catch(() => undefined);
  }
}
