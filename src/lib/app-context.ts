/**
 * What every screen shares: the lab session and the small state classes around it. Created
 * once in App.svelte and handed down through Svelte context.
 */
import { getContext, setContext } from 'svelte';
import { CommandRegistry } from './commands.svelte';
import type { LabSession } from './lab-session.svelte';
import { LabClock } from './lab-clock.svelte';
import { FirewallEditor } from './nsx/firewall-editor.svelte';
import { NsxClient } from './nsx/nsx-client.svelte';
import { readWorkingCopy, WORKING_COPY_KEY } from './nsx/working-copy';
import { Probes } from './probes.svelte';
import { RestHistory } from './rest-history.svelte';
import { ApiAccess } from '../pwa/api-accounts.svelte';
import { Progress } from './progress.svelte';
import { Router } from './router.svelte';
import { Theme } from './theme.svelte';
import { VCenterReach } from './vcenter-reach.svelte';

export class AppContext {
  readonly router = new Router();
  readonly theme = new Theme();
  readonly commands = new CommandRegistry();
  readonly progress = new Progress();
  readonly nsx: NsxClient;
  readonly firewall: FirewallEditor;
  readonly vcenter: VCenterReach;
  readonly probes: Probes;
  // The REST client's history (with requests from the terminal) and the API's users.
  readonly restHistory = new RestHistory();
  readonly apiAccess = new ApiAccess();
  /** Realtime or simulation: the lab clock follows wall time, or waits for the learner. */
  readonly clock: LabClock;

  constructor(readonly session: LabSession) {
    this.nsx = new NsxClient(session);
    this.vcenter = new VCenterReach(session);
    this.probes = new Probes(session);
    this.clock = new LabClock(session);
    this.clock.start();
    this.firewall = new FirewallEditor(
      this.nsx,
      this.progress,
      (s) => session.api?.wait(s) ?? Promise.resolve(),
      (copy) => session.keepWorkingCopy(WORKING_COPY_KEY, copy),
    );
    session.onBoot(() => {
      const kept = session.api?.lab.workingCopy(WORKING_COPY_KEY);
      this.firewall.restore(kept === undefined ? undefined : readWorkingCopy(kept));
    });
    // The edits are kept with the lab, but leaving with them unpublished is rarely meant: ask.
    window.addEventListener('beforeunload', (e) => {
      if (this.firewall.dirty) e.preventDefault();
    });
  }

  /**
   * After anything that may change the lab (an operation, a publish, a REST write): re-read the
   * inventory and check that vCenter can still be reached from the admin workstation.
   */
  async afterOperation(): Promise<void> {
    await this.session.refresh();
    await this.vcenter.check();
  }

  /**
   * An operation a screen starts: under the progress bar, then the lab re-read (afterOperation).
   * Answers the error's message for the screen to show, or '' when it went through.
   */
  async operate(label: string, work: () => Promise<unknown>): Promise<string> {
    try {
      await this.progress.run(label, work);
      await this.afterOperation();
      return '';
    } catch (err) {
      return (err as Error).message;
    }
  }

  /** A write from outside the page (curl through the relay): screens re-read what they show. */
  async afterExternalWrite(): Promise<void> {
    this.nsx.revision++;
    if (!this.firewall.dirty) await this.firewall.load().catch(() => undefined);
    await this.afterOperation();
  }
}

const KEY = Symbol('dfw-lab.app');

export function provideApp(app: AppContext): void {
  setContext(KEY, app);
}

export function useApp(): AppContext {
  return getContext<AppContext>(KEY);
}
