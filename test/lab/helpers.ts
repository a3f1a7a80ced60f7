import { Lab } from '../../workers/lab/lab';
import { LabApi } from '../../workers/lab/lab-api';
import { buildLab } from '../../workers/lab/presets/build-lab';
import { inProcessTransport } from '../../workers/transports';
import type { Transport } from '../../workers/lab/transport';

export async function bootClassroom(transport: Transport = inProcessTransport, seed = 1): Promise<LabApi> {
  return new LabApi(await Lab.boot(buildLab(undefined, seed), transport));
}
