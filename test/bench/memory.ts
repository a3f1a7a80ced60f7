/**
 * Bench: the JS heap of the classroom lab's workers together, in worker_threads (one V8 isolate
 * per unit, as each Web Worker is in the app), after boot, sync and some traffic. Heaps include
 * garbage not yet collected unless the bench runs under `node --expose-gc`. The 64-host
 * 10k-rule lab's heap is printed by the controlplane bench, which boots that lab anyway.
 */
import { Lab } from '../../workers/lab/lab';
import { LabApi } from '../../workers/lab/lab-api';
import { nodeWorkerTransport } from '../../workers/lab/node-transport';
import { buildLab } from '../../workers/lab/presets/build-lab';

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
  const gc = typeof (globalThis as { gc?: unknown }).gc === 'function';
  if (!gc) print('(no --expose-gc: heaps below include uncollected garbage; npm run bench passes the flag)');
  const idle = await idleWorkerHeap();
  const api = new LabApi(await Lab.boot(buildLab(), nodeWorkerTransport()));
  try {
    await api.lab.settle();
    for (let i = 0; i < 20; i++) await api.probe({ from: 'web-sv-01a', to: 'db-sv-01a', proto: 'tcp', port: 3306 });
    await api.publish();
    await api.lab.settle();
    print(`classroom lab JS heap, all workers together (worker_threads, after boot, sync, a publish and 20 probes): ${heapLine(await api.lab.heapBytes())} (target < 64 MiB); an idle worker alone holds ${(idle / MiB).toFixed(1)} MiB here (runtime and tsx, not the app's bundles)`);
  } finally {
    api.lab.dispose();
  }
}
