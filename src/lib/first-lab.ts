/**
 * What the app starts before it mounts its screens: the workers of the classroom lab (most
 * labs are classroom labs) and the lab database. Both take longer than mounting, and need none
 * of the screens.
 */
import type { LabDocument } from '../../workers/lab/lab-document';
import { buildLab } from '../../workers/lab/presets/build-lab';
import { LabStore } from '../persistence/lab-store';
import { markBoot } from './boot-marks';
import { WarmWorkerUnits } from './browser-transport';

export interface FirstLab {
  units: WarmWorkerUnits;
  store: Promise<LabStore>;
  /** The classroom lab with its boot already run (scripts/settled-classroom.ts), for a first visit. */
  settled: Promise<LabDocument>;
}

export function startFirstLab(): FirstLab {
  markBoot('first-lab-start');
  const units = new WarmWorkerUnits();
  units.prewarm(buildLab().components);
  const store = LabStore.open();
  store.catch(() => undefined); // a blocked database is handled when the workspace starts
  const settled = import('virtual:settled-classroom').then((m) => m.default);
  settled.catch(() => undefined); // a first visit then boots the bare preset
  return { units, store, settled };
}
