/** Web Worker entry for NSX Manager's unit, vCenter included: their code is bundled in (see host.worker.ts). */
import './manager/manager-component';
import './vcenter/vcenter';
import './unit.worker';
