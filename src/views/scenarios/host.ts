/**
 * How the scenario player reaches the app's open lab. A scenario starts in a new saved lab of
 * its own (so it never overwrites the learner's work); resets reboot that lab in place.
 */
import type { LabApi } from '../../../workers/lab/lab-api';
import type { LabDocument } from '../../../workers/lab/lab-document';
import type { AppContext } from '../../lib/app-context';
import { webWorkerTransport } from '../../lib/browser-transport';
import type { Workspace } from '../../persistence/workspace.svelte';
import { ScenarioPlayer, type PlayerHost } from './player.svelte';
import type { Scenario } from '../../../workers/scenario/schema';

export function playerHost(app: AppContext, ws: Workspace, title: string): PlayerHost {
  let opened = false;
  return {
    async boot(doc: LabDocument): Promise<LabApi | null> {
      if (!opened && ws.mode === 'editing') {
        opened = true;
        try {
          const made = await ws.importLab({ ...doc, name: `Scenario: ${title}` });
          await ws.open(made.id);
          return app.session.api;
        } catch {
          /* storage unavailable: run the lab unsaved, below */
        }
      }
      opened = true;
      app.session.dispose();
      await app.session.boot(doc, webWorkerTransport());
      await app.afterOperation();
      return app.session.api;
    },
    api: () => app.session.api,
    onChange: (listener) => app.session.onChange(listener),
    afterOperation: () => app.afterOperation(),
  };
}

/** One player at a time, kept outside components: the screen may remount while a lab boots. */
let active: ScenarioPlayer | null = null;

export function activePlayer(): ScenarioPlayer | null {
  return active;
}

export function newPlayer(scenario: Scenario, host: PlayerHost): ScenarioPlayer {
  active?.dispose();
  active = new ScenarioPlayer(scenario, host);
  return active;
}
