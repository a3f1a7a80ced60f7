/**
 * The connection tracker's table: open addressing with linear probing over typed arrays.
 *
 * Key = canonical 5-tuple: the endpoint that sorts lower (by ip, then port) is "A", so both
 * directions of a flow hash to the same slot; each entry remembers which orientation its
 * first packet had, and a lookup reports whether the packet runs the reply way. Deletion
 * shifts later probes back (no tombstones), so lookups never slow down with churn.
 *
 * The index (slot → keys, entry id) is separate from entry storage (entry id → fields):
 * entry ids stay stable while slots move.
 */

const EMPTY = 0;

/** Cheap mix of the canonical key (two multiplies): the hot path runs it once per packet. */
function flowHash(a: number, b: number, p: number, meta: number): number {
  let h = Math.imul(a ^ Math.imul(b ^ meta, 0x9e3779b1), 0x85ebca6b) ^ p;
  h = Math.imul(h ^ (h >>> 15), 0xc2b2ae35);
  return h ^ (h >>> 16);
}
const OCCUPIED = 0x100;

export interface ConnRecord {
  src: number;
  dst: number;
  sport: number;
  dport: number;
  proto: number;
  expiry: number;
  created: number;
  timer: number;
  flags: number;
  dir: number;
  ruleId: number;
  ruleLine: number;
  seqlo: [number, number];
  seqhi: [number, number];
  maxWin: [number, number];
  wscale: [number, number];
  state: [number, number];
  pkts: [number, number];
  bytes: [number, number];
}

export interface ConnTableState {
  indexCapacity: number;
  entryCapacity: number;
  hiWater: number;
  free: number[];
  /** [slot, entry id] pairs. */
  slots: number[];
  entries: (ConnRecord & { id: number })[];
}

export class ConnTable {
  /** Index: 4 ints per slot (a, b, ports, meta) + the entry id in idxEntry. */
  private idxKeys!: Int32Array;
  private idxEntry!: Int32Array;
  private idxMask = 0;

  cap = 0;
  count = 0;
  /** Entry ids below this have been handed out at least once (sweep bound). */
  hiWater = 0;
  private free: number[] = [];

  used!: Uint8Array;
  src!: Int32Array;
  dst!: Int32Array;
  /** Original direction: sport << 16 | dport. */
  ports!: Int32Array;
  proto!: Uint8Array;
  /** 1 when the first packet's src was the canonical A side. */
  origIsA!: Uint8Array;
  expiry!: Float64Array;
  created!: Float64Array;
  timer!: Uint8Array;
  flags!: Uint16Array;
  /** Direction of the first packet at this vNIC: 1 in, 2 out. */
  dir!: Uint8Array;
  ruleId!: Int32Array;
  ruleLine!: Int32Array;
  /** Per peer, index e*2 (originator) and e*2+1 (responder). */
  seqlo!: Int32Array;
  seqhi!: Int32Array;
  maxWin!: Int32Array;
  wscale!: Uint8Array;
  state!: Uint8Array;
  pkts!: Float64Array;
  bytes!: Float64Array;

  /** Set by find(): the packet travels responder → originator. */
  lastReply = false;

  constructor(initialEntries = 256, readonly maxEntries = 1 << 22) {
    this.allocEntries(Math.max(16, initialEntries));
    this.allocIndex(this.cap * 2);
  }

  find(src: number, dst: number, sport: number, dport: number, proto: number): number {
    let a: number, b: number, p: number;
    const fwd = src < dst || (src === dst && sport <= dport);
    if (fwd) {
      a = src;
      b = dst;
      p = (sport << 16) | dport;
    } else {
      a = dst;
      b = src;
      p = (dport << 16) | sport;
    }
    const meta = proto | OCCUPIED;
    const K = this.idxKeys;
    const mask = this.idxMask;
    let h = flowHash(a, b, p, meta) & mask;
    for (;;) {
      const base = h << 2;
      const m = K[base + 3];
      if (m === EMPTY) return -1;
      if (m === meta && K[base] === a && K[base + 1] === b && K[base + 2] === p) {
        const e = this.idxEntry[h];
        this.lastReply = fwd !== (this.origIsA[e] === 1);
        return e;
      }
      h = (h + 1) & mask;
    }
  }

  /** Adds a flow in its original orientation; -1 when the table is at its limit. The caller checks absence first. */
  insert(src: number, dst: number, sport: number, dport: number, proto: number): number {
    if (this.count >= this.maxEntries) return -1;
    if (this.count >= this.cap) this.growEntries();
    if ((this.count + 1) * 2 > this.idxMask + 1) this.rehash((this.idxMask + 1) * 2);
    const e = this.free.length > 0 ? this.free.pop()! : this.hiWater++;
    this.count++;
    this.used[e] = 1;
    this.src[e] = src;
    this.dst[e] = dst;
    this.ports[e] = (sport << 16) | dport;
    this.proto[e] = proto;
    const fwd = src < dst || (src === dst && sport <= dport);
    this.origIsA[e] = fwd ? 1 : 0;
    this.clearFields(e);
    this.placeInIndex(e);
    return e;
  }

  remove(e: number): void {
    if (!this.used[e]) return;
    const slot = this.slotOf(e);
    if (slot >= 0) this.deleteSlot(slot);
    this.used[e] = 0;
    this.count--;
    this.free.push(e);
  }

  /** Calls onExpire then removes every entry whose expiry is at or before `now`. */
  sweep(now: number, onExpire: (e: number) => void): number {
    let removed = 0;
    for (let e = 0; e < this.hiWater; e++) {
      if (this.used[e] && this.expiry[e] <= now) {
        onExpire(e);
        this.remove(e);
        removed++;
      }
    }
    return removed;
  }

  sport(e: number): number {
    return this.ports[e] >>> 16;
  }

  dport(e: number): number {
    return this.ports[e] & 0xffff;
  }

  record(e: number): ConnRecord {
    const pair = <T extends { [i: number]: number }>(a: T): [number, number] => [a[e * 2], a[e * 2 + 1]];
    return {
      src: this.src[e],
      dst: this.dst[e],
      sport: this.sport(e),
      dport: this.dport(e),
      proto: this.proto[e],
      expiry: this.expiry[e],
      created: this.created[e],
      timer: this.timer[e],
      flags: this.flags[e],
      dir: this.dir[e],
      ruleId: this.ruleId[e],
      ruleLine: this.ruleLine[e],
      seqlo: pair(this.seqlo),
      seqhi: pair(this.seqhi),
      maxWin: pair(this.maxWin),
      wscale: pair(this.wscale),
      state: pair(this.state),
      pkts: pair(this.pkts),
      bytes: pair(this.bytes),
    };
  }

  /** Inserts a flow carried over from another table (vMotion). */
  insertRecord(r: ConnRecord): number {
    const e = this.insert(r.src, r.dst, r.sport, r.dport, r.proto);
    if (e >= 0) this.writeRecord(e, r);
    return e;
  }

  entries(): number[] {
    const out: number[] = [];
    for (let e = 0; e < this.hiWater; e++) if (this.used[e]) out.push(e);
    return out;
  }

  snapshot(): ConnTableState {
    const slots: number[] = [];
    for (let s = 0; s <= this.idxMask; s++) if (this.idxKeys[(s << 2) + 3] !== EMPTY) slots.push(s, this.idxEntry[s]);
    return {
      indexCapacity: this.idxMask + 1,
      entryCapacity: this.cap,
      hiWater: this.hiWater,
      free: [...this.free],
      slots,
      entries: this.entries().map((id) => ({ id, ...this.record(id) })),
    };
  }

  static restore(s: ConnTableState, maxEntries?: number): ConnTable {
    const t = new ConnTable(s.entryCapacity, maxEntries);
    t.allocIndex(s.indexCapacity);
    t.hiWater = s.hiWater;
    t.free = [...s.free];
    for (const r of s.entries) {
      const e = r.id;
      t.used[e] = 1;
      t.src[e] = r.src;
      t.dst[e] = r.dst;
      t.ports[e] = (r.sport << 16) | r.dport;
      t.proto[e] = r.proto;
      t.origIsA[e] = r.src < r.dst || (r.src === r.dst && r.sport <= r.dport) ? 1 : 0;
      t.writeRecord(e, r);
      t.count++;
    }
    for (let i = 0; i < s.slots.length; i += 2) {
      const slot = s.slots[i];
      const e = s.slots[i + 1];
      t.writeSlotKeys(slot, e);
    }
    return t;
  }

  private writeRecord(e: number, r: ConnRecord): void {
    this.expiry[e] = r.expiry;
    this.created[e] = r.created;
    this.timer[e] = r.timer;
    this.flags[e] = r.flags;
    this.dir[e] = r.dir;
    this.ruleId[e] = r.ruleId;
    this.ruleLine[e] = r.ruleLine;
    for (let i = 0; i < 2; i++) {
      this.seqlo[e * 2 + i] = r.seqlo[i];
      this.seqhi[e * 2 + i] = r.seqhi[i];
      this.maxWin[e * 2 + i] = r.maxWin[i];
      this.wscale[e * 2 + i] = r.wscale[i];
      this.state[e * 2 + i] = r.state[i];
      this.pkts[e * 2 + i] = r.pkts[i];
      this.bytes[e * 2 + i] = r.bytes[i];
    }
  }

  private clearFields(e: number): void {
    this.expiry[e] = 0;
    this.created[e] = 0;
    this.timer[e] = 0;
    this.flags[e] = 0;
    this.dir[e] = 0;
    this.ruleId[e] = 0;
    this.ruleLine[e] = -1;
    for (let i = e * 2; i < e * 2 + 2; i++) {
      this.seqlo[i] = 0;
      this.seqhi[i] = 0;
      this.maxWin[i] = 0;
      this.wscale[i] = 0;
      this.state[i] = 0;
      this.pkts[i] = 0;
      this.bytes[i] = 0;
    }
  }

  private canonical(e: number): [a: number, b: number, p: number, meta: number] {
    const sport = this.ports[e] >>> 16;
    const dport = this.ports[e] & 0xffff;
    const meta = this.proto[e] | OCCUPIED;
    return this.origIsA[e] ? [this.src[e], this.dst[e], (sport << 16) | dport, meta] : [this.dst[e], this.src[e], (dport << 16) | sport, meta];
  }

  private writeSlotKeys(slot: number, e: number): void {
    const [a, b, p, meta] = this.canonical(e);
    const base = slot << 2;
    this.idxKeys[base] = a;
    this.idxKeys[base + 1] = b;
    this.idxKeys[base + 2] = p;
    this.idxKeys[base + 3] = meta;
    this.idxEntry[slot] = e;
  }

  private placeInIndex(e: number): void {
    const [a, b, p, meta] = this.canonical(e);
    let h = flowHash(a, b, p, meta) & this.idxMask;
    while (this.idxKeys[(h << 2) + 3] !== EMPTY) h = (h + 1) & this.idxMask;
    this.writeSlotKeys(h, e);
  }

  private slotOf(e: number): number {
    const [a, b, p, meta] = this.canonical(e);
    let h = flowHash(a, b, p, meta) & this.idxMask;
    for (;;) {
      const m = this.idxKeys[(h << 2) + 3];
      if (m === EMPTY) return -1;
      if (this.idxEntry[h] === e && m === meta) return h;
      h = (h + 1) & this.idxMask;
    }
  }

  private homeOf(slot: number): number {
    const base = slot << 2;
    const K = this.idxKeys;
    return flowHash(K[base], K[base + 1], K[base + 2], K[base + 3]) & this.idxMask;
  }

  /** Backward-shift deletion for linear probing. */
  private deleteSlot(slot: number): void {
    const K = this.idxKeys;
    const mask = this.idxMask;
    let hole = slot;
    let j = slot;
    for (;;) {
      j = (j + 1) & mask;
      if (K[(j << 2) + 3] === EMPTY) break;
      const home = this.homeOf(j);
      // Entry at j may move into the hole only if its home is not cyclically in (hole, j].
      const inRange = hole <= j ? home > hole && home <= j : home > hole || home <= j;
      if (inRange) continue;
      K.copyWithin(hole << 2, j << 2, (j << 2) + 4);
      this.idxEntry[hole] = this.idxEntry[j];
      hole = j;
    }
    K.fill(0, hole << 2, (hole << 2) + 4);
    this.idxEntry[hole] = -1;
  }

  private allocIndex(capacity: number): void {
    let cap = 16;
    while (cap < capacity) cap <<= 1;
    this.idxKeys = new Int32Array(cap * 4);
    this.idxEntry = new Int32Array(cap).fill(-1);
    this.idxMask = cap - 1;
  }

  private rehash(capacity: number): void {
    const oldKeys = this.idxKeys;
    const oldEntry = this.idxEntry;
    this.allocIndex(capacity);
    for (let s = 0; s < oldEntry.length; s++) if (oldKeys[(s << 2) + 3] !== EMPTY) this.placeInIndex(oldEntry[s]);
  }

  private allocEntries(cap: number): void {
    const grow = <T extends Uint8Array | Uint16Array | Int32Array | Float64Array>(old: T | undefined, make: (n: number) => T, n: number): T => {
      const next = make(n);
      if (old) next.set(old as never);
      return next;
    };
    this.used = grow(this.used, (n) => new Uint8Array(n), cap);
    this.src = grow(this.src, (n) => new Int32Array(n), cap);
    this.dst = grow(this.dst, (n) => new Int32Array(n), cap);
    this.ports = grow(this.ports, (n) => new Int32Array(n), cap);
    this.proto = grow(this.proto, (n) => new Uint8Array(n), cap);
    this.origIsA = grow(this.origIsA, (n) => new Uint8Array(n), cap);
    this.expiry = grow(this.expiry, (n) => new Float64Array(n), cap);
    this.created = grow(this.created, (n) => new Float64Array(n), cap);
    this.timer = grow(this.timer, (n) => new Uint8Array(n), cap);
    this.flags = grow(this.flags, (n) => new Uint16Array(n), cap);
    this.dir = grow(this.dir, (n) => new Uint8Array(n), cap);
    this.ruleId = grow(this.ruleId, (n) => new Int32Array(n), cap);
    this.ruleLine = grow(this.ruleLine, (n) => new Int32Array(n), cap);
    this.seqlo = grow(this.seqlo, (n) => new Int32Array(n), cap * 2);
    this.seqhi = grow(this.seqhi, (n) => new Int32Array(n), cap * 2);
    this.maxWin = grow(this.maxWin, (n) => new Int32Array(n), cap * 2);
    this.wscale = grow(this.wscale, (n) => new Uint8Array(n), cap * 2);
    this.state = grow(this.state, (n) => new Uint8Array(n), cap * 2);
    this.pkts = grow(this.pkts, (n) => new Float64Array(n), cap * 2);
    this.bytes = grow(this.bytes, (n) => new Float64Array(n), cap * 2);
    this.cap = cap;
  }

  private growEntries(): void {
    this.allocEntries(this.cap * 2);
  }
}
