/** Web Worker entry for the fabric's unit: its code is in this script, no other type's (see host.worker.ts). */
import { Fabric } from './fabric/fabric';
import { fabricFactory } from './registry';
import { exposeWebWorkerUnit } from './web-worker-unit';

exposeWebWorkerUnit({ fabric: async () => fabricFactory({ Fabric }) });
