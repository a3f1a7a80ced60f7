/**
 * A read-only host shell command (`vsipioctl getrules -f …`, `vsipioctl getmeminfo`) whose
 * output an object tab shows; read again whenever `key` changes (the object, the lab's time).
 * Only the newest answer is kept, so a slow earlier read never overwrites a later one.
 */
import type { LabApi } from '../../../workers/lab/lab-api';

export class HostRead {
  text = $state('');
  error = $state('');
  private asked = 0;

  async read(api: LabApi | null, host: string, cmd: string): Promise<void> {
    if (!api) return;
    const n = ++this.asked;
    try {
      const text = await api.host(host, cmd);
      if (n === this.asked) [this.text, this.error] = [text, ''];
    } catch (err) {
      if (n === this.asked) this.error = (err as Error).message;
    }
  }
}
