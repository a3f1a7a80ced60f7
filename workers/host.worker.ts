/**
 * Web Worker entry for a unit of ESXi hosts. Their code (with the NSX kernel) is bundled into
 * this script, so the worker gets it in one request rather than through a chain of chunks;
 * the registry's import of it then resolves at once. unit.worker.ts serves any other unit.
 */
import './kernel-setup';
import './host/host';
import './unit.worker';
