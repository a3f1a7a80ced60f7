/**
 * What the app starts before it mounts its screens: the workers of the classroom lab (most
 * labs are classroom labs) and the lab database. Both take longer than mounting, and need none
 * of the screens.
 */
import { buildLab } from '../../workers/lab/presets/build-lab';
import { LabStore } from '../persistence/lab-store';
import { markBoot } from './boot-marks';
import { WarmWorkerUnits } from './browser-transport';

export interface FirstLab {
  units: WarmWorkerUnits;
  store: Promise<LabStore>;
}

export function startFirstLab(): FirstLab {
  markBoot('first-lab-start');
  const units = new WarmWorkerUnits();
  units.prewarm(buildLab().components);
  const store = LabStore.open();
  store.catch(() => undefined); // a blocked database is handled when the workspace starts
  return { units, store };
}
