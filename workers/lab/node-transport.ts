/**
 * Execution units in Node worker_threads through Comlink's node adapter: the same wiring
 * the app uses with Web Workers, for tests and the headless runner.
 */
import { Worker } from 'node:worker_threads';
import nodeEndpoint from 'comlink/dist/umd/node-adapter.js';
import { workerTransport, type Transport } from './transport';

export function nodeWorkerTransport(): Transport {
  const entry = new URL('../unit.node-worker.mjs', import.meta.url);
  return workerTransport(() => {
    const worker = new Worker(entry);
    const endpoint = nodeEndpoint(worker);
    return Object.assign(endpoint, { terminate: () => void worker.terminate() });
  });
}
