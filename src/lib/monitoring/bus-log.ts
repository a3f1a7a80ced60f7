/**
 * The bus sniffer's memory: every captured message read so far (the broker keeps its last 500),
 * read incrementally by sequence number, filtered by host and payload type on the page.
 */
import type { DecodedCapture } from '../../../workers/protocol/payloads';

interface BusFilter {
  host?: string;
  type?: string;
}

const KEEP = 2000;

class BusLog {
  entries: DecodedCapture[] = [];
  lastSeq = 0;

  add(batch: DecodedCapture[]): void {
    const fresh = batch.filter((e) => e.seq > this.lastSeq);
    if (!fresh.length) return;
    this.entries = [...this.entries, ...fresh].slice(-KEEP);
    this.lastSeq = fresh.at(-1)!.seq;
  }

  filtered(f: BusFilter): DecodedCapture[] {
    return this.entries.filter((e) => matches(e, f));
  }
}

/** The same rule as LabApi.busCapture: a host's messages are those from it, to it or routed to it. */
export function matches(e: Pick<DecodedCapture, 'from' | 'to' | 'routingKey' | 'type'>, f: BusFilter): boolean {
  return (!f.type || e.type === f.type) && (!f.host || e.from === f.host || e.to === f.host || e.routingKey === f.host);
}

const logs = new WeakMap<object, BusLog>();

export function busLogFor(lab: object): BusLog {
  let l = logs.get(lab);
  if (!l) logs.set(lab, (l = new BusLog()));
  return l;
}

export function formatBytes(n: number): string {
  return n < 1024 ? `${n} B` : `${(n / 1024).toFixed(1)} KB`;
}
