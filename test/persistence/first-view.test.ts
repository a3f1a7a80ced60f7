import { describe, expect, it } from 'vitest';
import { buildLab } from '../../workers/lab/presets/build-lab';
import type { Inventory } from '../../workers/protocol/inventory';
import { memoryStorage } from './memory-storage';
import { MAX_FIRST_VIEW_CHARS, firstViewOf, forgetFirstView, keepFirstView, keptFirstView, markFirstViewCurrent } from '../../src/persistence/first-view';

const classroomInventory = (): Inventory => {
  const vcenter = Object.values(buildLab().components).find((c) => c.type === 'vcenter')!;
  return (vcenter.state as { inventory: Inventory }).inventory;
};

describe('the first view kept for the next load', () => {
  it('is read back for the same lab and revision only', () => {
    const store = memoryStorage();
    const inventory = classroomInventory();
    keepFirstView({ labId: 'a', revision: 3, name: 'Lockout practice', clock: 5000, inventory }, store);
    const view = firstViewOf('a', 3, store);
    expect(view?.name).toBe('Lockout practice');
    expect(view?.clock).toBe(5000);
    expect(view?.inventory).toEqual(inventory);
    // Another revision (a save since, a rename, a replace) or another lab: nothing to show early.
    expect(firstViewOf('a', 4, store)).toBeNull();
    expect(firstViewOf('b', 3, store)).toBeNull();
    // A mismatch leaves the kept view alone (another tab's lab may be the next to open).
    expect(keptFirstView(store)?.labId).toBe('a');
  });

  it('a later revision whose inventory is unchanged is marked current in a few bytes, with its name and clock', () => {
    const store = memoryStorage();
    const inventory = classroomInventory();
    keepFirstView({ labId: 'a', revision: 3, name: 'Lab', clock: 5000, inventory }, store);
    const body = store.getItem('dfw-lab.first-view');
    markFirstViewCurrent({ labId: 'a', revision: 7, name: 'Renamed', clock: 9000 }, store);
    // The inventory is not written again.
    expect(store.getItem('dfw-lab.first-view')).toBe(body);
    expect(store.getItem('dfw-lab.first-view.current')!.length).toBeLessThan(100);
    expect(firstViewOf('a', 7, store)).toEqual({ labId: 'a', revision: 7, name: 'Renamed', clock: 9000, inventory });
    expect(firstViewOf('a', 3, store)?.name).toBe('Lab');
    expect(firstViewOf('a', 6, store)).toBeNull();
    // A mark for another lab shows nothing of this one; a new view replaces the mark.
    markFirstViewCurrent({ labId: 'b', revision: 8, name: 'B', clock: 0 }, store);
    expect(firstViewOf('b', 8, store)).toBeNull();
    keepFirstView({ labId: 'a', revision: 9, name: 'Lab', clock: 1, inventory }, store);
    expect(store.getItem('dfw-lab.first-view.current')).toBeNull();
    forgetFirstView(store);
    expect(store.items.size).toBe(0);
  });

  it('drops a damaged entry and one that is not an inventory', () => {
    const store = memoryStorage();
    store.setItem('dfw-lab.first-view', '{not json');
    expect(firstViewOf('a', 0, store)).toBeNull();
    expect(store.items.size).toBe(0);
    store.setItem('dfw-lab.first-view', JSON.stringify({ labId: 'a', revision: 0, name: 'x', clock: 0, inventory: { vms: 'none' } }));
    expect(firstViewOf('a', 0, store)).toBeNull();
    expect(store.items.size).toBe(0);
  });

  it('keeps no view too large for localStorage, and forgets the previous one then', () => {
    const store = memoryStorage();
    const inventory = classroomInventory();
    keepFirstView({ labId: 'a', revision: 1, name: 'small', clock: 0, inventory }, store);
    const big = { ...inventory, vms: Array.from({ length: Math.ceil(MAX_FIRST_VIEW_CHARS / 200) }, (_, i) => ({ ...inventory.vms[0], moid: `vm-${1000 + i}`, name: `vm-${i}` })) };
    keepFirstView({ labId: 'a', revision: 2, name: 'big', clock: 0, inventory: big }, store);
    expect(firstViewOf('a', 1, store)).toBeNull();
    expect(firstViewOf('a', 2, store)).toBeNull();
  });

  it('does nothing without storage, and a full storage loses nothing already saved', () => {
    expect(() => keepFirstView({ labId: 'a', revision: 0, name: 'x', clock: 0, inventory: classroomInventory() }, null)).not.toThrow();
    expect(firstViewOf('a', 0, null)).toBeNull();
    const full = memoryStorage();
    full.setItem = () => {
      throw new DOMException('full', 'QuotaExceededError');
    };
    expect(() => keepFirstView({ labId: 'a', revision: 0, name: 'x', clock: 0, inventory: classroomInventory() }, full)).not.toThrow();
    forgetFirstView(full);
    expect(firstViewOf('a', 0, full)).toBeNull();
  });
});
