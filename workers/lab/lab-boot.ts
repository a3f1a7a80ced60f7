/**
 * What a page needs to run a lab, as the lab API hands it to the UI: the Lab to boot over a
 * transport, and the pieces a page's own transport (Web Workers) is built from. The UI
 * imports the runtime only through here (test/architecture/layers.ts).
 */
export { Lab, componentTypes, componentsByUnit } from './lab';
export type { ComponentDoc, ComponentType } from './component';
export { workerTransport, workerUnit, type Transport, type UnitHandle, type WorkerUnitHandle } from './transport';
