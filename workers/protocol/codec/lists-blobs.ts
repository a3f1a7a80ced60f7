/**
 * NSX Manager's cache of rule-list blobs: hosts whose filters run the same list arrays (the
 * translation shares one array between every vNIC with the same Applied To outcome) get the
 * very same blob, built once per publish instead of copied into every host's message.
 */
import { shareableBytes, type ListOrigin, type RuleListsBlob } from '../shared-rule-lists';

/** Blobs kept: one per distinct combination of lists in the latest publishes. */
const KEPT = 64;

/** Keyed by the list arrays themselves: their elements do not matter here. */
const arrayIds = new WeakMap<object, number>();
let nextArrayId = 1;

/** Empty lists are all alike, whichever array holds them: id 0. */
function idOf<T>(list: readonly T[]): number {
  if (list.length === 0) return 0;
  let id = arrayIds.get(list);
  if (id === undefined) arrayIds.set(list, (id = nextArrayId++));
  return id;
}

export class ListsBlobs {
  private readonly recent = new Map<string, RuleListsBlob>();

  /** The blob of these lists (in this order), built by `build` the first time they are seen together. */
  get<L3, L2>(l3Lists: readonly (readonly L3[])[], l2Lists: readonly (readonly L2[])[], build: () => { bytes: Uint8Array; origins: (ListOrigin | null)[] }): RuleListsBlob {
    const key = `${l3Lists.map(idOf).join(',')}/${l2Lists.map(idOf).join(',')}`;
    let blob = this.recent.get(key);
    if (blob) {
      this.recent.delete(key); // most recently used last
    } else {
      const built = build();
      blob = { key, bytes: shareableBytes(built.bytes), ...(built.origins.some((o) => o) ? { origins: built.origins } : {}) };
      if (this.recent.size >= KEPT) this.recent.delete(this.recent.keys().next().value!);
    }
    this.recent.set(key, blob);
    return blob;
  }
}
