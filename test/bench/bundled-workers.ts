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
const OUT_DIR = fileURLToPath(new URL('../../.cache/bench/', import.meta.url));
const BUNDLE = fileURLToPath(new URL('../../.cache/bench/unit.node-worker.mjs', import.meta.url));

/**
 * The flags a worker starts with: not this process's, which hold the tsx loader that runs the
 * bench itself (inherited, every worker registers its hooks and sends the bundle's imports
 * through them; the app's workers run plain JavaScript). V8 flags (--expose-gc, --trace-gc)
 * apply to every isolate anyway; a profile asked for (--cpu-prof, --heap-prof) is kept.
 */
function workerExecArgv(): string[] {
  return process.execArgv.filter((flag) => /^--(cpu|heap)-prof/.test(flag));
}

let built: Promise<unknown> | undefined;

/** Builds the bundle once per process, then starts workers from it. */
export async function bundledNodeWorkerTransport(): Promise<Transport> {
  // Split at the registry's dynamic imports, as Vite splits the app's workers: a host worker
  // parses and compiles the host's code, not NSX Manager's or vCenter's.
  await (built ??= build({ entryPoints: [ENTRY], bundle: true, splitting: true, platform: 'node', format: 'esm', target: 'node20', outdir: OUT_DIR, outExtension: { '.js': '.mjs' }, logLevel: 'warning' }));
  const execArgv = workerExecArgv();
  return workerTransport(() => {
    const worker = new Worker(BUNDLE, { execArgv });
    return Object.assign(nodeEndpoint(worker), { terminate: () => void worker.terminate() });
  });
}
