/**
 * worker_threads running one esbuild bundle of the unit's code, as the app's Web Workers run
 * Vite's bundles. `nodeWorkerTransport()` loads the TypeScript sources through tsx in every
 * worker instead: with 67 workers that transpiling and module resolution (each import a round
 * trip to tsx's loader-hooks thread) was most of the 64-host lab's boot, not the lab's work.
 */
import { Worker } from 'node:worker_threads';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import nodeEndpoint from 'comlink/dist/umd/node-adapter.js';
import { workerTransport, type Transport } from '../../workers/lab/transport';

const ENTRY = fileURLToPath(new URL('../../workers/unit.node-worker.ts', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../../.cache/bench/unit.node-worker.mjs', import.meta.url));

let built: Promise<unknown> | undefined;

/** Builds the bundle once per process, then starts workers from it. */
export async function bundledNodeWorkerTransport(): Promise<Transport> {
  await (built ??= build({ entryPoints: [ENTRY], bundle: true, platform: 'node', format: 'esm', target: 'node20', outfile: BUNDLE, logLevel: 'warning' }));
  return workerTransport(() => {
    const worker = new Worker(BUNDLE);
    return Object.assign(nodeEndpoint(worker), { terminate: () => void worker.terminate() });
  });
}
