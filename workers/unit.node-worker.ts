/** worker_threads entry: one execution unit of the lab, reached through Comlink's node adapter. */
import { parentPort } from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/umd/node-adapter.js';
import { exposeUnit } from './lab/transport';
import { componentLoaders } from './registry';

exposeUnit(nodeEndpoint(parentPort!), componentLoaders);
