/** Execution units in real Web Workers: one per host, one for the manager and vCenter, one for the fabric. */
import { workerTransport, type Transport } from '../../workers/lab/transport';

export function webWorkerTransport(): Transport {
  return workerTransport((unitId) => new Worker(new URL('../../workers/unit.worker.ts', import.meta.url), { type: 'module', name: `dfw-${unitId}` }));
}
