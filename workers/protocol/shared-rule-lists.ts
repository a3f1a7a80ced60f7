/**
 * A RuleSet's rule lists as one blob that every host getting the same lists shares.
 *
 * A `RuleSet` on the wire is its small per-host fields (host id, filter names, each filter's
 * index into the lists, address sets, …) followed by its rule lists (fields 3 and 4, protobuf
 * concatenates repeated fields). Hosts whose filters run the same lists differ only in the
 * head, so NSX Manager encodes the lists once per publish into this blob and every host's
 * publish carries its own head plus the same blob. The bytes of head ‖ lists are exactly the
 * RuleSet a host would have got whole (captures, logs and vsipfw_ruleset.dat show that).
 *
 * Where the runtime has SharedArrayBuffer (worker_threads; a cross-origin-isolated page), the
 * blob's memory is shared by every worker it reaches: posting it copies nothing. Elsewhere it
 * is an ArrayBuffer: one message that carries it to many hosts still clones it once, but each
 * worker it enters gets its own copy. Nobody writes to a blob after it is made.
 */

export interface RuleListsBlob {
  /** Which lists these are, as the publisher names them (same key, same bytes, while it runs). */
  readonly key: string;
  /** The lists' protobuf bytes: RuleSet fields 3 and 4, ready to follow a head. */
  readonly bytes: SharedArrayBuffer | ArrayBuffer;
  /** Per list, in the blob's order (L3 lists, then L2), how its publisher made it, where known (not part of the message's bytes). */
  readonly origins?: readonly (ListOrigin | null)[];
}

/**
 * How NSX Manager encoded one list of a blob. `id` names these bytes among every list its
 * encoder wrote (one encoder per manager worker: ids are never reused while it runs). `from`:
 * the list was encoded against the earlier list `from.id`, whose first `headBytes` and last
 * `tailBytes` bytes (its first `headLines` and last `tailLines` lines) it copied. A host
 * holding that earlier list reads only the bytes between, without comparing half a megabyte
 * to find them; one that does not falls back to comparing.
 */
export interface ListOrigin {
  readonly id: number;
  readonly from?: { readonly id: number; readonly headLines: number; readonly tailLines: number; readonly headBytes: number; readonly tailBytes: number };
}

/** True where a SharedArrayBuffer can be posted to another worker (Node; an isolated page). */
export function canShareMemory(): boolean {
  const g = globalThis as { SharedArrayBuffer?: SharedArrayBufferConstructor; crossOriginIsolated?: boolean };
  return typeof g.SharedArrayBuffer === 'function' && g.crossOriginIsolated !== false;
}

/** The bytes in memory every worker can share when the runtime allows, else a plain buffer. */
export function shareableBytes(bytes: Uint8Array): SharedArrayBuffer | ArrayBuffer {
  if (!canShareMemory()) return bytes.slice().buffer as ArrayBuffer;
  const shared = new SharedArrayBuffer(bytes.length);
  new Uint8Array(shared).set(bytes);
  return shared;
}

/** The whole RuleSet's length: head and lists. */
export function ruleSetLength(head: ArrayBuffer | Uint8Array, lists?: RuleListsBlob): number {
  return head.byteLength + (lists?.bytes.byteLength ?? 0);
}

/** The whole RuleSet as one standalone buffer (for a saved queue, a capture, a damaged copy). */
export function joinRuleSet(head: ArrayBuffer | Uint8Array, lists?: RuleListsBlob, limit = Infinity): Uint8Array {
  const h = head instanceof Uint8Array ? head : new Uint8Array(head);
  if (!lists) return h.length <= limit ? h.slice() : h.slice(0, limit);
  const l = new Uint8Array(lists.bytes);
  const size = Math.min(limit, h.length + l.length);
  const out = new Uint8Array(size);
  out.set(h.subarray(0, size));
  if (size > h.length) out.set(l.subarray(0, size - h.length), h.length);
  return out;
}
