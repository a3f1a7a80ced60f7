/** Web Worker entry: one execution unit of the lab, reached through Comlink. */
import { exposeUnit } from './lab/transport';
import './kernel-setup';

exposeUnit(self as unknown as import('comlink').Endpoint);
