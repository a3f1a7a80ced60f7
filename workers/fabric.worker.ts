/** Web Worker entry for the fabric's unit: its code is bundled in (see host.worker.ts). */
import './fabric/fabric';
import './unit.worker';
