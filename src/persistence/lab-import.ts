/**
 * Reads a lab file for import in a short-lived worker (lab-import.worker.ts), so the page only
 * writes the parts it returns. Where there are no Web Workers (unit tests) it reads in place.
 */
import * as Comlink from 'comlink';
import { type PrepareResult, prepareLabText } from './prepared-lab';

export async function prepareImport(text: string): Promise<PrepareResult> {
  const start = performance.now();
  if (typeof Worker === 'undefined') return prepareLabText(text);
  const worker = new Worker(new URL('./lab-import.worker.ts', import.meta.url), { type: 'module', name: 'dfw-lab-import' });
  const remote = Comlink.wrap<{ prepare: typeof prepareLabText }>(worker);
  try {
    return await remote.prepare(text);
  } finally {
    remote[Comlink.releaseProxy]();
    worker.terminate();
    // The storage bench prints the import's read beside its save.
    performance.measure('dfw-lab:import-read', { start, end: performance.now(), detail: { bytes: text.length } });
  }
}
