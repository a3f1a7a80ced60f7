/** Reads lab files for import in a worker of their own: a 4 MB lab's parse, validation and split stay off the page. */
import * as Comlink from 'comlink';
import { asBytes } from '../../workers/lab/lab-parts';
import { type PrepareResult, prepareLabText } from './prepared-lab';

/** The parts go back as UTF-8 bytes, moved: the page writes them to IndexedDB without copying or reading them. */
function prepare(text: string): PrepareResult {
  const read = prepareLabText(text);
  if (!read.ok) return read;
  const parts = read.lab.parts.map(asBytes);
  return Comlink.transfer({ ...read, lab: { ...read.lab, parts } }, parts.map((p) => p.bytes!));
}

Comlink.expose({ prepare });
