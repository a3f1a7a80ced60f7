/** worker_threads entry: one execution unit of the lab, reached through Comlink's node adapter. */
import { parentPort } from 'node:worker_threads';
import { readFileSync } from 'node:fs';
import nodeEndpoint from 'comlink/dist/umd/node-adapter.js';
import { exposeUnit } from './lab/transport';
import { componentLoaders } from './registry';

/**
 * This thread's CPU time in ns (Linux: the scheduler's own count, schedstat's first field; it moves at the
 * tick or a context switch, so short spans read 0 and only sums over many are meaningful); undefined where there is none.
 */
function threadCpuReader(): (() => number) | undefined {
  const read = () => Number(readFileSync('/proc/thread-self/schedstat', 'latin1').split(' ', 1)[0]);
  try {
    return Number.isFinite(read()) ? read : undefined;
  } catch {
    return undefined;
  }
}

exposeUnit(nodeEndpoint(parentPort!), componentLoaders, threadCpuReader());
