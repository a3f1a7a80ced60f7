/** Web Worker entry: one execution unit of the lab, reached through Comlink. */
import { exposeUnit } from './lab/transport';
import { componentLoaders } from './registry';

// Its imports are fetched and evaluated by now: the UI bench reads this mark per worker.
performance.mark('dfw:worker-evaluated');
exposeUnit(self as unknown as import('comlink').Endpoint, componentLoaders);
