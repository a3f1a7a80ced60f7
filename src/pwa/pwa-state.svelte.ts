/** The service worker as the prompts see it: ready offline, or a newer version waiting. */
import { registerSW } from 'virtual:pwa-register';
import { markBoot } from '../lib/boot-marks';
import { type LabActivity, whenLabSettled } from './when-lab-settled';

export class PwaState {
  offlineReady = $state(false);
  needRefresh = $state(false);
  error = $state('');
  private updateSW: ((reloadPage?: boolean) => Promise<void>) | null = null;

  /** Registers the service worker; `beforeReload` lets the open lab save first. */
  constructor(private readonly beforeReload: () => Promise<void> = async () => {}) {}

  /** Registers once the lab has settled and the page is idle (when-lab-settled.ts): a first install must not take the lab's CPU. */
  async startWhenSettled(activity: () => LabActivity): Promise<void> {
    await whenLabSettled(activity);
    this.start();
  }

  start(): void {
    if (!('serviceWorker' in navigator)) return;
    markBoot('sw-register');
    this.updateSW = registerSW({
      immediate: true,
      onRegisteredSW: () => markBoot('sw-registered'),
      onOfflineReady: () => {
        markBoot('sw-offline-ready');
        this.offlineReady = true;
      },
      onNeedRefresh: () => (this.needRefresh = true),
      onRegisterError: (err) => (this.error = `Offline use is not available: ${err instanceof Error ? err.message : String(err)}`),
    });
  }

  async reload(): Promise<void> {
    await this.beforeReload();
    await this.updateSW?.(true);
  }

  dismiss(): void {
    this.offlineReady = false;
    this.needRefresh = false;
  }
}
