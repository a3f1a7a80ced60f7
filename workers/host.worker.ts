/**
 * Web Worker entry for a unit of ESXi hosts: their code (with the NSX kernel) is in this
 * script, and no other component type's (a unit of another mix runs unit.worker.ts), so the
 * worker gets all it runs in one request rather than through a chain of chunks.
 */
import { EsxHost } from './host/host';
import { nsxDatapath } from './kernel-setup';
import { hostFactory } from './registry';
import { exposeWebWorkerUnit } from './web-worker-unit';

exposeWebWorkerUnit({ host: async () => hostFactory({ EsxHost, nsxDatapath }) });
