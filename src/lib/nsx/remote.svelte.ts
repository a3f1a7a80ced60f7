/** Something a screen reads from NSX Manager: the data, or why it could not be read. */
import { ManagerUnreachable } from './nsx-client.svelte';

export class Remote<T> {
  data = $state.raw<T | null>(null);
  /** The manager answered with an error. */
  error = $state('');
  /** The manager did not answer at all. */
  down = $state('');
  loading = $state(false);

  /** Numbers each load: only the latest one's answer is shown. */
  private latest = 0;

  constructor(private readonly fetcher: () => Promise<T>) {}

  /**
   * Reads again. Loads overlap (a screen's own re-read after a save, and the one every write
   * triggers); one that started earlier but answers later must not put older data back, or a
   * header would keep showing what the save just changed.
   */
  async load(): Promise<void> {
    const mine = ++this.latest;
    this.loading = true;
    try {
      const data = await this.fetcher();
      if (mine !== this.latest) return;
      this.data = data;
      this.error = '';
      this.down = '';
    } catch (err) {
      if (mine !== this.latest) return;
      if (err instanceof ManagerUnreachable) this.down = err.message;
      else this.error = (err as Error).message;
    } finally {
      if (mine === this.latest) this.loading = false;
    }
  }
}
