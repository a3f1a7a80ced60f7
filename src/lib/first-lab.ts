/**
 * What the app starts before it mounts its screens: the workers of the classroom lab (most
 * labs are classroom labs) and the lab database. Both take longer than mounting, and need none
 * of the screens.
 */
import settledClassroom from 'virtual:settled-classroom';
import type { LabDocument } from '../../workers/lab/lab-document';
import { LabStore } from '../persistence/lab-store';
import { markBoot } from './boot-marks';
import { WarmWorkerUnits } from './browser-transport';
import { lessonLinkOf } from './lesson-link';

export interface FirstLab {
  units: WarmWorkerUnits;
  store: Promise<LabStore>;
  /** The classroom lab with its boot already run (scripts/settled-classroom.ts), for a first visit. */
  settled: Promise<LabDocument>;
}

export function startFirstLab(): FirstLab {
  markBoot('first-lab-start');
  const units = new WarmWorkerUnits();
  // A lesson link's learner waits for its lab (step 1's Next), not for the first view: the workers start now.
  if (lessonLinkOf(location.hash)) units.startNow();
  units.prewarm(settledClassroom.components);
  const store = LabStore.open();
  store.catch(() => undefined); // a blocked database is handled when the workspace starts
  // Part of the entry (10 KB gzipped): fetched with it, not behind the workers' scripts.
  return { units, store, settled: Promise.resolve(settledClassroom) };
}
