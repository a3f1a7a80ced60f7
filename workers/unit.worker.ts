/** Web Worker entry for a unit of any mix of component types: each type's code loads on first use. */
import { componentLoaders } from './registry';
import { exposeWebWorkerUnit } from './web-worker-unit';

exposeWebWorkerUnit(componentLoaders);
