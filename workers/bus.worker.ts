/** Web Worker entry for the message bus's unit: its code is in this script, no other type's (see host.worker.ts). */
import { Broker } from './bus/broker';
import { busFactory } from './registry';
import { exposeWebWorkerUnit } from './web-worker-unit';

exposeWebWorkerUnit({ bus: async () => busFactory({ Broker }) });
