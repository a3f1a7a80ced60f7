/** The lab writer's worker: saves a lab's parts through its own IndexedDB connection (lab-writer.ts). */
import * as Comlink from 'comlink';
import { labWriterApi } from './lab-writer';

Comlink.expose(labWriterApi());
