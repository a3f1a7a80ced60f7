/** Something a screen reads from NSX Manager: the data, or why it could not be read. */
import { ManagerUnreachable } from './nsx-client.svelte';

export class Remote<T> {
  data = $state.raw<T | null>(null);
  /** The manager answered with an error. */
  error = $state('');
  /** The manager did not answer at all. */
  down = $state('');
  loading = $state(false);

  constructor(private readonly fetcher: () => Promise<T>) {}

  async load(): Promise<void> {
    this.loading = true;
    try {
      this.data = await this.fetcher();
      this.error = '';
      this.down = '';
    } catch (err) {
      if (err instanceof ManagerUnreachable) this.down = err.message;
      else this.error = (err as Error).message;
    } finally {
      this.loading = false;
    }
  }
}
