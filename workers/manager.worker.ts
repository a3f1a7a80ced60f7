/** Web Worker entry for NSX Manager's unit, vCenter included: their code is in this script, no other type's (see host.worker.ts). */
import { ManagerComponent } from './manager/manager-component';
import { VCenter } from './vcenter/vcenter';
import { managerFactory, vcenterFactory } from './registry';
import { exposeWebWorkerUnit } from './web-worker-unit';

exposeWebWorkerUnit({ manager: async () => managerFactory({ ManagerComponent }), vcenter: async () => vcenterFactory({ VCenter }) });
