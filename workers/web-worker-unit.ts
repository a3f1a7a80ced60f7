/** What every Web Worker entry runs: one execution unit of the lab, with the component loaders it is given, reached through Comlink. */
import type { Endpoint } from 'comlink';
import { exposeUnit, type ComponentLoaders } from './lab/transport';

export function exposeWebWorkerUnit(loaders: ComponentLoaders): void {
  // Its imports are fetched and evaluated by now: the UI bench reads this mark per worker.
  performance.mark('dfw:worker-evaluated');
  exposeUnit(self as unknown as Endpoint, loaders);
}
