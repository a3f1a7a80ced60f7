/**
 * The connection tracker's table: open addressing with linear probing over typed arrays.
 *
 * Key = canonical 5-tuple: the endpoint that sorts lower (by ip, then port) is "A", so both
 * directions of a flow hash to the same slot; each entry remembers which orientation its
 * first packet had, and a lookup reports whether the packet runs the reply way. Deletion
 * shifts later probes back (no tombstones), so lookups never slow down with churn.
 *
 * The index (slot → keys, entry id) is separate from entry storage (entry id → fields):
 * entry ids stay stable while slots move. A slot is 4 ints: a, b, ports and one word packing
 * the entry id, the orientation bit and the protocol (`e << 10 | origIsA << 9 | 0x100 | proto`),
 * so a hit reads one cache line and nothing else.
 */

const EMPTY = 0;
const OCCUPIED = 0x100;
/** Low bits of a slot's last word: protocol + occupied. */
const META_MASK = 0x1ff;
const ORIG_A_BIT = 0x200;
const ENTRY_SHIFT = 10;
/** Entry ids must fit in the 22 bits above the slot's meta bits. */
const MAX_ENTRIES = 1 << 22;

/** Mix of the canonical key (two multiplies): the hot path runs it once per packet. */
function flowHash(a: number, b: number, p: number, proto: number): number {
  const h = Math.imul(a ^ Math.imul(b ^ p ^ proto, 0x85ebca6b), 0x9e3779b1);
  return h ^ (h >>> 15);
}

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
  /** Index: 4 ints per slot (a, b, ports, entry id | orientation | proto); 0 in the last = empty. */
  private idxKeys!: Int32Array;
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

  readonly maxEntries: number;

  constructor(initialEntries = 256, maxEntries = MAX_ENTRIES) {
    this.maxEntries = Math.min(maxEntries, MAX_ENTRIES);
    this.allocEntries(Math.max(16, initialEntries));
    this.allocIndex(this.cap * 2);
  }

  find(src: number, dst: number, sport: number, dport: number, proto: number): number {
    // Canonical orientation without data-dependent branches (the direction of a packet is a coin toss).
    const fwd = src < dst || (src === dst && sport <= dport);
    const m = fwd ? -1 : 0;
    const a = (src & m) | (dst & ~m);
    const b = (dst & m) | (src & ~m);
    const po = (sport << 16) | dport;
    const p = (po & m) | (((dport << 16) | sport) & ~m);
    const meta = proto | OCCUPIED;
    const K = this.idxKeys;
    const mask = this.idxMask;
    let h = flowHash(a, b, p, proto) & mask;
    for (;;) {
      const base = h << 2;
      const w = K[base + 3];
      if (w === EMPTY) return -1;
      if ((w & META_MASK) === meta && K[base] === a && K[base + 1] === b && K[base + 2] === p) {
        this.lastReply = fwd !== ((w & ORIG_A_BIT) !== 0);
        return w >>> ENTRY_SHIFT;
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
    for (let s = 0; s <= this.idxMask; s++) {
      const w = this.idxKeys[(s << 2) + 3];
      if (w !== EMPTY) slots.push(s, w >>> ENTRY_SHIFT);
    }
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
    // A snapshot taken under another hash function (an older build) has its entries in slots
    // the probe would not reach: keep the layout only when every entry is found where it is.
    if (!t.layoutConsistent()) t.rehash(t.idxMask + 1);
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

  private canonical(e: number): [a: number, b: number, p: number, word: number] {
    const sport = this.ports[e] >>> 16;
    const dport = this.ports[e] & 0xffff;
    const word = ((e << ENTRY_SHIFT) | (this.origIsA[e] ? ORIG_A_BIT : 0) | this.proto[e] | OCCUPIED) | 0;
    return this.origIsA[e] ? [this.src[e], this.dst[e], (sport << 16) | dport, word] : [this.dst[e], this.src[e], (dport << 16) | sport, word];
  }

  private writeSlotKeys(slot: number, e: number): void {
    const [a, b, p, word] = this.canonical(e);
    const base = slot << 2;
    this.idxKeys[base] = a;
    this.idxKeys[base + 1] = b;
    this.idxKeys[base + 2] = p;
    this.idxKeys[base + 3] = word;
  }

  private placeInIndex(e: number): void {
    const [a, b, p, word] = this.canonical(e);
    let h = flowHash(a, b, p, word & 0xff) & this.idxMask;
    while (this.idxKeys[(h << 2) + 3] !== EMPTY) h = (h + 1) & this.idxMask;
    this.writeSlotKeys(h, e);
  }

  private slotOf(e: number): number {
    const [a, b, p, word] = this.canonical(e);
    let h = flowHash(a, b, p, word & 0xff) & this.idxMask;
    for (;;) {
      const w = this.idxKeys[(h << 2) + 3];
      if (w === EMPTY) return -1;
      if (w === word) return h;
      h = (h + 1) & this.idxMask;
    }
  }

  /** Every occupied slot is reachable from its home slot without crossing an empty one. */
  private layoutConsistent(): boolean {
    const K = this.idxKeys;
    const mask = this.idxMask;
    for (let s = 0; s <= mask; s++) {
      if (K[(s << 2) + 3] === EMPTY) continue;
      for (let h = this.homeOf(s); h !== s; h = (h + 1) & mask) if (K[(h << 2) + 3] === EMPTY) return false;
    }
    return true;
  }

  private homeOf(slot: number): number {
    const base = slot << 2;
    const K = this.idxKeys;
    return flowHash(K[base], K[base + 1], K[base + 2], K[base + 3] & 0xff) & this.idxMask;
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
      hole = j;
    }
    K.fill(0, hole << 2, (hole << 2) + 4);
  }

  private allocIndex(capacity: number): void {
    let cap = 16;
    while (cap < capacity) cap <<= 1;
    this.idxKeys = new Int32Array(cap * 4);
    this.idxMask = cap - 1;
  }

  private rehash(capacity: number): void {
    const oldKeys = this.idxKeys;
    this.allocIndex(capacity);
    for (let s = 3; s < oldKeys.length; s += 4) if (oldKeys[s] !== EMPTY) this.placeInIndex(oldKeys[s] >>> ENTRY_SHIFT);
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
