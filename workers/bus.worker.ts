/** Web Worker entry for the message bus's unit: its code is bundled in (see host.worker.ts). */
import './bus/broker';
import './unit.worker';
