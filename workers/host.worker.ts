/**
 * Web Worker entry for a unit of ESXi hosts. The host's code (with the NSX kernel) is bundled
 * into this script, so the worker gets it in one request instead of a chain of chunks; the
 * registry's import of it then resolves at once.
 */
import './kernel-setup';
import './host/host';
import './unit.worker';
