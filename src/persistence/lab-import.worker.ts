/**
 * Reads a lab file for import in a worker of its own: a 4 MB lab's parse, validation and split
 * stay off the page, and so do its parts, which this worker writes itself (lab-import-api.ts).
 */
import * as Comlink from 'comlink';
import { importWorkerApi } from './lab-import-api';

Comlink.expose(importWorkerApi());
