/** Usage, quota and persistence of this site's storage, as the settings area shows them. */
import type { KeyValueStore } from './key-value-store';
import { quotaWarning } from './quota';

const PERSIST_ASKED = 'storage.persistAsked';

export class StorageQuota {
  usage = $state(0);
  quota = $state(0);
  persisted = $state<boolean | null>(null);
  largestLab = $state(0);
  readonly warning = $derived(quotaWarning(this.usage, this.quota, this.largestLab));

  async refresh(): Promise<void> {
    const storage = navigator.storage;
    if (!storage?.estimate) return;
    const { usage = 0, quota = 0 } = await storage.estimate();
    this.usage = usage;
    this.quota = quota;
    this.persisted = storage.persisted ? await storage.persisted() : null;
  }

  /**
   * Asks once, after the first lab is saved, that the browser keep our data under storage
   * pressure. Asking earlier would prompt (in some browsers) before there is anything to keep.
   */
  async askPersistOnce(settings: KeyValueStore): Promise<void> {
    if (!navigator.storage?.persist || (await settings.get(PERSIST_ASKED))) return;
    await settings.set(PERSIST_ASKED, true);
    this.persisted = await navigator.storage.persist();
  }
}
