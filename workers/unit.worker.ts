/** Web Worker entry: one execution unit of the lab, reached through Comlink. */
import { exposeUnit } from './lab/transport';

exposeUnit(self as unknown as import('comlink').Endpoint);
