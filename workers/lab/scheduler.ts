/**
 * The lab's agenda: messages waiting for their virtual delivery time, ordered by
 * (time, sequence) so equal times keep the order they were sent in.
 */
interface Scheduled<T> {
  at: number;
  seq: number;
  item: T;
}

export class Scheduler<T> {
  private heap: Scheduled<T>[] = [];
  private nextSeq = 0;

  get size(): number {
    return this.heap.length;
  }

  push(at: number, item: T): void {
    this.heap.push({ at, seq: this.nextSeq++, item });
    this.up(this.heap.length - 1);
  }

  peekTime(): number | undefined {
    return this.heap[0]?.at;
  }

  /** Removes and returns every entry due at the earliest time, in order. */
  popEarliest(): Scheduled<T>[] {
    const first = this.heap[0];
    if (!first) return [];
    const due: Scheduled<T>[] = [];
    while (this.heap.length && this.heap[0].at === first.at) due.push(this.pop()!);
    return due;
  }

  /** Entries in delivery order, for snapshots. */
  entries(): Scheduled<T>[] {
    return [...this.heap].sort(compare);
  }

  restore(entries: Scheduled<T>[], nextSeq: number): void {
    this.heap = [];
    for (const e of entries) {
      this.heap.push({ ...e });
      this.up(this.heap.length - 1);
    }
    this.nextSeq = nextSeq;
  }

  get sequence(): number {
    return this.nextSeq;
  }

  private pop(): Scheduled<T> | undefined {
    const top = this.heap[0];
    const last = this.heap.pop();
    if (this.heap.length && last) {
      this.heap[0] = last;
      this.down(0);
    }
    return top;
  }

  private up(i: number): void {
    const h = this.heap;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (compare(h[i], h[p]) >= 0) break;
      [h[i], h[p]] = [h[p], h[i]];
      i = p;
    }
  }

  private down(i: number): void {
    const h = this.heap;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = i;
      if (l < h.length && compare(h[l], h[m]) < 0) m = l;
      if (r < h.length && compare(h[r], h[m]) < 0) m = r;
      if (m === i) return;
      [h[i], h[m]] = [h[m], h[i]];
      i = m;
    }
  }
}

function compare<T>(a: Scheduled<T>, b: Scheduled<T>): number {
  return a.at - b.at || a.seq - b.seq;
}
