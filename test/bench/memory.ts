/**
 * Bench: the JS heap of the classroom lab's workers together. The figure against the target is
 * the app's: its Web Workers in headless Chromium (worker-heaps.ts, the built bundles). Beside
 * it, the same lab in worker_threads (one V8 isolate per unit), after boot, sync and some
 * traffic: there each isolate also holds tsx and esbuild and the unbundled TypeScript's source
 * and code (an idle one is printed), which the browser never loads. Heaps include garbage not
 * yet collected unless the bench runs under `node --expose-gc`. The 64-host 10k-rule lab's heap
 * is printed by the controlplane bench, which boots that lab anyway.
 */
import { Lab } from '../../workers/lab/lab';
import { LabApi } from '../../workers/lab/lab-api';
import { nodeWorkerTransport } from '../../workers/lab/node-transport';
import { buildLab } from '../../workers/lab/presets/build-lab';
import { chromiumWorkerHeaps } from './worker-heaps';

const MiB = 2 ** 20;

/** "N MB over K workers (largest: unit x MB, …)" for a lab's per-unit heaps. */
export function heapLine(heaps: Record<string, number>): string {
  const entries = Object.entries(heaps).filter(([, b]) => b >= 0);
  const total = entries.reduce((n, [, b]) => n + b, 0);
  const largest = entries.sort((a, b) => b[1] - a[1]).slice(0, 3).map(([id, b]) => `${id} ${(b / MiB).toFixed(1)}`).join(', ');
  return `${(total / MiB).toFixed(1)} MiB over ${entries.length} workers (largest: ${largest} MiB)`;
}

/** An execution unit's worker with no components: the runtime and tsx's transpiled loader alone. */
async function idleWorkerHeap(): Promise<number> {
  const unit = nodeWorkerTransport()('idle', []);
  try {
    await unit.load({});
    return (await unit.heapBytes?.()) ?? -1;
  } finally {
    unit.dispose();
  }
}

export async function benchMemory(print: (line: string) => void): Promise<void> {
  const browser = await chromiumWorkerHeaps();
  const total = browser.reduce((n, w) => n + w.bytes, 0);
  print(`classroom lab JS heap, all Web Workers together (headless Chromium, the built app, after boot, its first save and a published section): ${(total / MiB).toFixed(1)} MiB over ${browser.length} workers (target < 64 MiB)  [${browser.map((w) => `${w.name} ${(w.bytes / MiB).toFixed(2)}`).join(', ')}]`);
  const gc = typeof (globalThis as { gc?: unknown }).gc === 'function';
  if (!gc) print('(no --expose-gc: heaps below include uncollected garbage; npm run bench passes the flag)');
  const idle = await idleWorkerHeap();
  const api = new LabApi(await Lab.boot(buildLab(), nodeWorkerTransport()));
  try {
    await api.lab.settle();
    for (let i = 0; i < 20; i++) await api.probe({ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 });
    await api.publish();
    await api.lab.settle();
    print(`  the same lab in worker_threads (Node, after boot, sync, a publish and 20 probes): ${heapLine(await api.lab.heapBytes())} ; an idle worker alone holds ${(idle / MiB).toFixed(1)} MiB here (runtime, tsx and esbuild: most of each isolate is code and source text of unbundled modules, not lab state)`);
  } finally {
    api.lab.dispose();
  }
}
