/**
 * The classroom lab as it stands once its boot has run: NSX Manager on its bus, every host's
 * vsfwd connected with its rules. The app's first lab starts from this document instead of
 * running those waves across seven cold workers while the learner waits (issue 17 item 3).
 * vite.config.ts computes it at build time, so it always matches the components' code.
 */
import { Lab } from '../workers/lab/lab';
import { inProcessTransport } from '../workers/transports';
import type { LabDocument } from '../workers/lab/lab-document';
import { CLASSROOM, buildLab } from '../workers/lab/presets/build-lab';

/** The seed the app's first lab uses. */
export const SETTLED_SEED = 1;

/** buildLab(CLASSROOM, SETTLED_SEED) after Lab.settle(): the same lab a replay of [advance 0] gives. */
export async function settledClassroom(): Promise<LabDocument> {
  const lab = await Lab.boot(buildLab(CLASSROOM, SETTLED_SEED), inProcessTransport);
  try {
    await lab.settle();
    return await lab.snapshot();
  } finally {
    lab.dispose();
  }
}

/** Computed on import, for vite.config.ts (its module runner closes once the import is done). */
export const settledDocument: LabDocument = await settledClassroom();
